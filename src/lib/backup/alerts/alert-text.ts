import type { TAlertMessage } from './channel';

/** What an alert means and what to do about it, in an administrator's words (the README's "Alerts and health" says the same). */
interface TAlertAdvice {
  title: string;
  todo: string;
}

export const ALERT_ADVICE: Record<TAlertMessage['event'], TAlertAdvice> = {
  'backup.failed': {
    title: 'A scheduled backup failed',
    todo:
      'The school data was NOT backed up this time (it was tried several times). Open Backups in the ERP (Admin > Backups) ' +
      'and start a backup by hand; if it fails too, send this message to whoever looks after the server ' +
      '(the usual causes: the disk is full, the database is unreachable, the encryption key is missing).',
  },
  'upload.failed': {
    title: 'A backup could not be copied off-site',
    todo:
      'The backup was made and kept on the server, but its off-site copy (cloud storage) is missing, so a lost server would lose it. ' +
      'The copy is tried again with the next backup, or run `erp-backup sync`. If this keeps happening, ask whoever looks after the ' +
      'server to check the storage settings and credentials.',
  },
  'drill.failed': {
    title: 'A backup did not restore correctly in a test',
    todo:
      'A practice restore (into a scratch database, your live data was not touched) did not give back the data the backup recorded. ' +
      'Do not rely on that backup: make a fresh backup now and ask whoever looks after the server to look at the drill result.',
  },
  'scrub.damaged': {
    title: 'A stored backup copy is missing or damaged',
    todo:
      'A check of the stored backups found a copy missing or changed. If a good copy existed elsewhere it was repaired; otherwise make a ' +
      'fresh backup now and ask whoever looks after the server to check the disk or the storage.',
  },
  'backup.stale': {
    title: 'No recent backup',
    todo:
      'No backup has completed for longer than expected: the backup schedule may be stopped, disabled or failing. Open Backups in the ' +
      'ERP (Admin > Backups), check the schedules and start a backup by hand; if that fails, contact whoever looks after the server.',
  },
  recovered: {
    title: 'Backups are working again',
    todo: 'Nothing to do: the problem reported earlier is over.',
  },
  'alert.test': {
    title: 'Test alert',
    todo: 'Nothing to do: this message only checks that backup alerts reach you.',
  },
};

const SEVERITY_WORD: Record<TAlertMessage['severity'], string> = { critical: 'Action needed', warning: 'Warning', info: 'Information' };

/** The email's subject: plain words, the school's installation, no codes. */
export function alertSubject(message: TAlertMessage): string {
  return `[School ERP backups] ${SEVERITY_WORD[message.severity]}: ${ALERT_ADVICE[message.event].title} (${message.instance})`;
}

/** The email's plain-text body: what happened, what to do, and the details a technician may ask for. */
export function alertBody(message: TAlertMessage): string {
  const advice = ALERT_ADVICE[message.event];
  const details = [
    `Event: ${message.event}`,
    `When: ${message.at}`,
    `Server: ${message.instance}`,
    ...(message.backupId ? [`Backup: ${message.backupId}`] : []),
    ...(message.scheduleId ? [`Schedule: ${message.scheduleId}`] : []),
  ];
  return [
    `${advice.title}.`,
    '',
    message.message,
    '',
    'What to do:',
    advice.todo,
    '',
    'Details (for whoever looks after the server):',
    ...details.map((line) => `  ${line}`),
    '',
    'You receive this because your address is set as BACKUP_ALERT_EMAIL_TO on the school ERP server.',
  ].join('\n');
}
