import type { TScrubResult } from '@/lib/utils/backup-service';
import { defineCommand, requireNoArgs } from './command';
import { table } from './format-output';

/** The human output of a scrub: a line per backup, then what was repaired and what stays wrong. */
export function describeScrubbed(result: TScrubResult): string {
  if (result.checked === 0) return 'No completed backups to scrub.';
  const lines = [
    table([
      ['ID', 'FILE', 'STATUS', 'LOCAL', 'OFF-SITE'],
      ...result.backups.map((backup) => [backup.id, backup.filename, backup.status, backup.local, backup.offsite]),
    ]),
    '',
    `Checked ${result.checked} backup(s): ${result.ok} OK, ${result.repaired.length} copy(ies) repaired, ${result.damaged.length} damaged or missing, ${result.unchecked.length} unchecked.`,
  ];
  for (const repair of result.repaired) lines.push(`  REPAIRED  ${repair.id}: ${repair.how}`);
  for (const damage of result.damaged) lines.push(`  DAMAGED   ${damage.id}: ${damage.problem}`);
  for (const skipped of result.unchecked) lines.push(`  UNCHECKED ${skipped.id}: ${skipped.problem}`);
  if (result.damaged.length > 0)
    lines.push('A damaged backup cannot be restored from that copy: see the README, "Scrubbing", for what to do.');
  return lines.join('\n');
}

/** `erp-backup scrub`: checks every copy of every completed backup and repairs what it can (README, "Scrubbing"). */
export const SCRUB_COMMAND = defineCommand({
  name: 'scrub',
  synopsis: '',
  summary: "check every backup's copies (size, checksum, auth tag) and repair a bad copy from a good one",
  options: {},
  needsKey: true,
  parse: ({ args }) => {
    requireNoArgs(args, 'scrub');
    return ({ backups }) => backups.scrubBackups();
  },
  // Damage that remains, or a copy nobody could vouch for, is a failed run for cron and monitoring.
  exitCode: (result) => (result.clean ? 0 : 1),
  describe: describeScrubbed,
});
