import type { TVerifyResult } from '@/lib/utils/backup-service';
import { AlertMessage } from './alert-message';
import type { TCallState } from './use-server-action';

const CHECK_NAMES: Record<string, string> = {
  'file-present': 'File present',
  size: 'Size',
  checksum: 'SHA-256 checksum',
  'auth-tag': 'Encryption auth tag',
  content: 'Content readable',
  'row-counts': 'Row counts',
  tables: 'Every table of the schema',
};

/** The outcome of "Verify": every check with its detail, or why it could not run. */
export function VerifyResult({ state, filename }: { state: TCallState<TVerifyResult>; filename: string }) {
  if (state.status === 'error') return <AlertMessage message={`Could not verify ${filename}: ${state.error}`} />;
  if (state.status !== 'done') return null;
  const { valid, checks } = state.data;
  return (
    <div role="status" className="verify-result">
      <p className={valid ? 'verify-summary verify-ok' : 'verify-summary verify-bad'}>
        {valid ? `${filename} is intact: all ${checks.length} checks passed.` : `${filename} failed verification.`}
      </p>
      <ul className="check-list">
        {checks.map((check) => (
          <li key={check.name} className={check.ok ? 'check-ok' : 'check-bad'}>
            <span className="check-mark">{check.ok ? 'OK' : 'FAILED'}</span> {CHECK_NAMES[check.name] ?? check.name}
            <span className="muted"> — {check.detail}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
