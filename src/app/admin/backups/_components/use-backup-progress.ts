'use client';

import { useEffect, useEffectEvent, useState } from 'react';
import { getBackupProgressAction } from '@/lib/actions/backupActions';
import type { TBackupProgressView } from '@/lib/utils/backup-service';
import { callAction } from './use-server-action';

/** How often a running backup is asked for its progress. */
const POLL_INTERVAL_MS = 500;

/**
 * Polls a backup's progress until it is no longer RUNNING, then calls
 * `onSettled` once with the final view. A refused poll stops the polling and
 * is returned as `error` (also passed to `onSettled`, so the caller can
 * re-enable its button).
 */
export function useBackupProgress(backupId: string, onSettled: (view: TBackupProgressView | null) => void) {
  const [view, setView] = useState<TBackupProgressView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const settle = useEffectEvent(onSettled);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const result = await callAction(getBackupProgressAction, backupId);
      if (stopped) return;
      if (!result.success) {
        setError(result.error);
        settle(null);
        return;
      }
      setView(result.data);
      if (result.data.status === 'RUNNING') timer = setTimeout(poll, POLL_INTERVAL_MS);
      else settle(result.data);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [backupId]);

  return { view, error };
}
