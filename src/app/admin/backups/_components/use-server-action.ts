'use client';

import { useCallback, useState } from 'react';
import type { TActionResult } from '@/lib/actions/admin-action';

/** Where a call to a server action is: not started, waiting, answered, or refused. */
export type TCallState<T> = { status: 'idle' } | { status: 'pending' } | { status: 'done'; data: T } | { status: 'error'; error: string };

const UNREACHABLE = 'The server could not be reached. Check the connection and try again.';

/**
 * Calls a server action and turns a thrown error (network down, server
 * restarting) into an ordinary refusal, so the page shows a message instead
 * of falling into the error boundary.
 */
export async function callAction<TArgs extends unknown[], T>(
  action: (...args: TArgs) => Promise<TActionResult<T>>,
  ...args: TArgs
): Promise<TActionResult<T>> {
  try {
    return await action(...args);
  } catch {
    return { success: false, error: UNREACHABLE };
  }
}

/** A server action wired to an event handler: `run` calls it, `state` tells the component what to show. */
export function useServerAction<TArgs extends unknown[], T>(action: (...args: TArgs) => Promise<TActionResult<T>>) {
  const [state, setState] = useState<TCallState<T>>({ status: 'idle' });
  const run = useCallback(
    async (...args: TArgs): Promise<TActionResult<T>> => {
      setState({ status: 'pending' });
      const result = await callAction(action, ...args);
      setState(result.success ? { status: 'done', data: result.data } : { status: 'error', error: result.error });
      return result;
    },
    [action],
  );
  return { state, run, pending: state.status === 'pending' };
}
