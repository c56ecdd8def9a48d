'use client';

import { useId } from 'react';
import { formatInZone } from './format';
import { type TScheduleDraft, type TTimingMode, timingPreview } from './schedule-draft';
import { TimezoneSelect } from './timezone-select';

const MODES: [mode: TTimingMode, label: string][] = [
  ['hourly', 'Every hour'],
  ['daily', 'Every day'],
  ['weekly', 'Every week'],
  ['advanced', 'Advanced (cron)'],
];

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface TTimingFieldsProps {
  draft: TScheduleDraft;
  onChange: (change: Partial<TScheduleDraft>) => void;
  onModeChange: (mode: TTimingMode) => void;
  disabled?: boolean;
}

/**
 * When a schedule runs: a preset (hourly at a minute, daily at a time, weekly
 * on a day at a time) or a cron expression, in a timezone. Under it, a live
 * preview in plain language with the next three runs, or what is wrong,
 * worked out in the browser as the user types (the same code the server runs).
 */
export function TimingFields({ draft, onChange, onModeChange, disabled = false }: TTimingFieldsProps) {
  const id = useId();
  const preview = timingPreview(draft, new Date());
  return (
    <fieldset className="form-group" disabled={disabled}>
      <legend>When</legend>
      <div className="mode-choice">
        {MODES.map(([mode, label]) => (
          <label key={mode} className="choice">
            <input type="radio" name={`${id}-mode`} value={mode} checked={draft.mode === mode} onChange={() => onModeChange(mode)} />
            {label}
          </label>
        ))}
      </div>
      <div className="timing-inputs">
        {draft.mode === 'hourly' ? (
          <div className="field">
            <label htmlFor={`${id}-minute`}>Minute past the hour</label>
            <input
              id={`${id}-minute`}
              type="number"
              min={0}
              max={59}
              inputMode="numeric"
              value={draft.minute}
              onChange={(event) => onChange({ minute: event.target.value })}
            />
          </div>
        ) : null}
        {draft.mode === 'weekly' ? (
          <div className="field">
            <label htmlFor={`${id}-day`}>Day</label>
            <select id={`${id}-day`} value={draft.day} onChange={(event) => onChange({ day: event.target.value })}>
              {DAYS.map((name, index) => (
                <option key={name} value={String(index)}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {draft.mode === 'daily' || draft.mode === 'weekly' ? (
          <div className="field">
            <label htmlFor={`${id}-time`}>Time</label>
            <input id={`${id}-time`} type="time" value={draft.time} onChange={(event) => onChange({ time: event.target.value })} />
          </div>
        ) : null}
        {draft.mode === 'advanced' ? (
          <div className="field cron-field">
            <label htmlFor={`${id}-cron`}>Cron expression</label>
            <input
              id={`${id}-cron`}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={draft.cron}
              onChange={(event) => onChange({ cron: event.target.value })}
              aria-describedby={`${id}-cron-hint ${id}-preview`}
            />
            <p id={`${id}-cron-hint`} className="muted field-hint">
              Five fields: minute, hour, day of month, month, day of week. For example <code>30 1 * * 1-5</code> is 01:30 on weekdays.
            </p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-timezone`}>Timezone</label>
          <TimezoneSelect id={`${id}-timezone`} value={draft.timezone} onChange={(timezone) => onChange({ timezone })} />
        </div>
      </div>
      <div id={`${id}-preview`} className="timing-preview" aria-live="polite">
        {preview.error !== undefined ? (
          <p className="field-error">{preview.error}</p>
        ) : (
          <>
            <p className="timing-description">{preview.description}</p>
            {preview.next.length ? (
              <>
                <p className="muted field-hint">Next runs:</p>
                <ol className="next-runs">
                  {preview.next.map((iso) => (
                    <li key={iso}>
                      <time dateTime={iso}>{formatInZone(iso, draft.timezone)}</time>
                    </li>
                  ))}
                </ol>
              </>
            ) : (
              <p className="field-error">This expression names no date that will come again, so the schedule would never run.</p>
            )}
          </>
        )}
      </div>
    </fieldset>
  );
}
