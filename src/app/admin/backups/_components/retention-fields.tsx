'use client';

import { useId } from 'react';
import type { TRetentionPolicy } from '@/lib/backup/schedule/retention';
import { retentionWords } from './retention-words';
import { RETENTION_KEYS, type TRetentionKey } from './schedule-draft';

const FIELDS: Record<TRetentionKey, { label: string; hint: string }> = {
  keepLast: { label: 'Last', hint: 'the newest N backups' },
  keepHourly: { label: 'Hourly', hint: 'one per hour, for N hours that have one' },
  keepDaily: { label: 'Daily', hint: 'one per day' },
  keepWeekly: { label: 'Weekly', hint: 'one per ISO week' },
  keepMonthly: { label: 'Monthly', hint: 'one per month' },
  keepYearly: { label: 'Yearly', hint: 'one per year' },
  keepWithin: { label: 'Within', hint: 'all from this long before the newest: 30d, 12h, 1y6m' },
};

interface TRetentionFieldsProps {
  values: Record<TRetentionKey, string>;
  onChange: (key: TRetentionKey, value: string) => void;
  /** The policy the fields give now, or null while one is malformed (the caller shows why). */
  policy: TRetentionPolicy | null;
  disabled?: boolean;
}

/**
 * The keep-* rules of a retention policy (restic's `forget` rules), each an
 * optional field with its meaning under it, and the policy in words. The
 * newest backup, pinned ones and recent safety backups are always kept.
 */
export function RetentionFields({ values, onChange, policy, disabled = false }: TRetentionFieldsProps) {
  const id = useId();
  return (
    <>
      <div className="retention-grid">
        {RETENTION_KEYS.map((key) => (
          <div key={key} className="field retention-field">
            <label htmlFor={`${id}-${key}`}>{FIELDS[key].label}</label>
            <input
              id={`${id}-${key}`}
              type="text"
              inputMode={key === 'keepWithin' ? 'text' : 'numeric'}
              autoComplete="off"
              spellCheck={false}
              value={values[key]}
              onChange={(event) => onChange(key, event.target.value)}
              aria-describedby={`${id}-${key}-hint`}
              disabled={disabled}
            />
            <p id={`${id}-${key}-hint`} className="muted field-hint">
              {FIELDS[key].hint}
            </p>
          </div>
        ))}
      </div>
      {policy ? (
        <p className="retention-words">This policy {retentionWords(policy)}, besides the newest, pinned and recent safety backups.</p>
      ) : null}
    </>
  );
}
