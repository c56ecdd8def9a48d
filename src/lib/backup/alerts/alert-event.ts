/**
 * What can go wrong (or right again) that a person must hear about
 * (README, "Alerts"). The service raises these through `TBackupDeps.alert`;
 * the alert module decides who hears it, once per incident.
 */
export type TAlertEventName =
  /** A scheduled backup failed after its retries. */
  | 'backup.failed'
  /** A backup's off-site upload failed (the local copy is kept). */
  | 'upload.failed'
  /** A restore drill found that a backup does not restore to the data it recorded. */
  | 'drill.failed'
  /** A scrub found a missing or damaged copy. */
  | 'scrub.damaged'
  /** No successful backup for longer than BACKUP_MAX_AGE_HOURS (the dead man's switch). */
  | 'backup.stale'
  /** The first success after a failure: the incident is over. */
  | 'recovered';

export interface TAlertEvent {
  event: TAlertEventName;
  severity: 'critical' | 'warning' | 'info';
  /** One sentence a school's administrator can act on. Never a secret, a key, a path or a stack. */
  message: string;
  backupId?: string | null;
  scheduleId?: string | null;
  /**
   * What makes two raises the same incident (sent once): for example
   * `backup.failed:<scheduleId>` or `scrub.damaged:<backupId>:local`. A
   * `recovered` event closes the incidents whose key it names.
   */
  incidentKey: string;
}

/** Raises an alert; never throws (a channel that fails is recorded, the operation goes on). */
export type TRaiseAlert = (event: TAlertEvent) => Promise<void>;
