import { formatBytes } from '@/lib/format/bytes';
import type { TVerifyResult } from '@/lib/utils/backup-service';
import { AlertMessage } from './alert-message';
import type { TCallState } from './use-server-action';

type TVerifyCheck = TVerifyResult['checks'][number];

const CHECK_NAMES: Record<string, string> = {
  'file-present': 'File present',
  size: 'Size',
  checksum: 'SHA-256 checksum',
  'auth-tag': 'Encryption auth tag',
  content: 'Content readable',
  'row-counts': 'Row counts',
  tables: 'Every table of the schema',
};

/**
 * A passed check said for a person: the size in human units, the checksum as
 * "matches" (its hex goes to the raw values); null keeps the service's detail.
 */
function plainDetail(check: TVerifyCheck, sizeBytes: number | null): string | null {
  if (!check.ok) return null;
  if (check.name === 'size') return `${formatBytes(sizeBytes)}, as recorded`;
  if (check.name === 'checksum') return 'matches the checksum recorded when the backup was made';
  return null;
}

/** The outcome of "Verify": every check with its detail in plain words (raw values on demand), or why it could not run. */
export function VerifyResult({
  state,
  filename,
  sizeBytes,
}: {
  state: TCallState<TVerifyResult>;
  filename: string;
  sizeBytes: number | null;
}) {
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
            <span className="muted"> — {plainDetail(check, sizeBytes) ?? check.detail}</span>
          </li>
        ))}
      </ul>
      <details>
        <summary>Raw values</summary>
        <pre>{checks.map((check) => `${check.name}: ${check.detail}`).join('\n')}</pre>
      </details>
    </div>
  );
}
