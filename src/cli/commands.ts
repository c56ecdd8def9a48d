import { ALERT_COMMANDS } from './alert-commands';
import { defineCommand, requireArg, requireNoArgs, requireYes, type TCommand, UsageError } from './command';
import { describeDrilled } from './drill-output';
import {
  describeCreated,
  describeDeleted,
  describeGc,
  describeList,
  describeRebuiltIndex,
  describeRestored,
  describeSynced,
  describeVerified,
} from './format-output';
import { SCHEDULE_COMMANDS } from './schedule-commands';
import { SCRUB_COMMAND } from './scrub-command';

const restoreOptions = {
  yes: { type: 'boolean', default: false },
  'no-safety-backup': { type: 'boolean', default: false },
} as const;

/**
 * Every `erp-backup` command, in the order the usage lists them: its usage
 * line, its options, whether it needs the key, how its command line becomes a
 * service call, its exit code and its human output. Nothing else in the CLI
 * names a command; a new one (one word or two: `schedule add`) is one entry.
 */
export const COMMANDS: readonly TCommand[] = [
  defineCommand({
    name: 'create',
    synopsis: '[--incremental] [--models A,B]',
    summary: 'back up the database (or only the given models); --incremental takes a snapshot (deduplicated chunks)',
    options: { models: { type: 'string' }, incremental: { type: 'boolean', default: false } },
    needsKey: true,
    parse: ({ args, values }) => {
      requireNoArgs(args, 'create');
      const models = values.models
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const kind = values.incremental ? 'INCREMENTAL' : 'FULL';
      return ({ backups }) => backups.createBackup({ models, kind });
    },
    describe: describeCreated,
  }),
  defineCommand({
    name: 'list',
    synopsis: '',
    summary: 'list backups, newest first',
    options: {},
    needsKey: false,
    parse: ({ args }) => {
      requireNoArgs(args, 'list');
      return ({ backups }) => backups.listBackups();
    },
    describe: describeList,
  }),
  defineCommand({
    name: 'verify',
    synopsis: '<id>',
    summary: "check a backup's file, checksum, auth tag and content",
    options: {},
    needsKey: true,
    parse: ({ args }) => {
      const id = requireArg(args, 'backup id');
      return ({ backups }) => backups.verifyBackup(id);
    },
    exitCode: (result) => (result.valid ? 0 : 1),
    describe: describeVerified,
  }),
  defineCommand({
    name: 'restore',
    synopsis: '<id> --yes [--no-safety-backup]',
    summary: 'replace the current data with a backup',
    options: restoreOptions,
    needsKey: true,
    parse: ({ args, values }) => {
      const id = requireArg(args, 'backup id');
      requireYes(values.yes, 'restore');
      return ({ backups }) => backups.restoreBackup(id, { confirm: true, safetyBackup: !values['no-safety-backup'] });
    },
    describe: describeRestored,
  }),
  defineCommand({
    name: 'restore-file',
    synopsis: '<path|s3://bucket/key> --yes [--no-safety-backup]',
    summary: 'restore from a backup file or off-site object (disaster recovery)',
    options: restoreOptions,
    needsKey: true,
    parse: ({ args, values }) => {
      const file = requireArg(args, 'file path');
      requireYes(values.yes, 'restore-file');
      return ({ backups }) => backups.restoreFromFile(file, { confirm: true, safetyBackup: !values['no-safety-backup'] });
    },
    describe: describeRestored,
  }),
  defineCommand({
    name: 'delete',
    synopsis: '<id> --yes',
    summary: "delete a backup's file (and off-site copy) and mark it deleted",
    options: { yes: { type: 'boolean', default: false } },
    needsKey: false,
    parse: ({ args, values }) => {
      const id = requireArg(args, 'backup id');
      requireYes(values.yes, 'delete');
      return ({ backups }) => backups.deleteBackup(id);
    },
    describe: describeDeleted,
  }),
  defineCommand({
    name: 'sync',
    synopsis: '',
    summary: 'upload completed backups that have no off-site copy yet',
    options: {},
    needsKey: false,
    parse: ({ args }) => {
      requireNoArgs(args, 'sync');
      return ({ backups }) => backups.syncUploads();
    },
    exitCode: (result) => (result.failed.length > 0 ? 1 : 0),
    describe: describeSynced,
  }),
  SCRUB_COMMAND,
  defineCommand({
    name: 'gc',
    synopsis: '[--dry-run]',
    summary: 'delete snapshot chunks no manifest references (--dry-run: only count them)',
    options: { 'dry-run': { type: 'boolean', default: false } },
    needsKey: true,
    parse: ({ args, values }) => {
      requireNoArgs(args, 'gc');
      return ({ backups }) => backups.collectGarbage({ dryRun: values['dry-run'] });
    },
    describe: describeGc,
  }),
  defineCommand({
    name: 'rebuild-index',
    synopsis: '',
    summary: 'rebuild the index of stored snapshot chunks from the manifests and chunks in the storage',
    options: {},
    needsKey: true,
    parse: ({ args }) => {
      requireNoArgs(args, 'rebuild-index');
      return ({ backups }) => backups.rebuildChunkIndex();
    },
    describe: describeRebuiltIndex,
  }),
  defineCommand({
    name: 'drill',
    synopsis: '[<id>]',
    summary: 'restore a backup (the newest by default) into a throwaway database and prove its rows',
    options: {},
    needsKey: true,
    parse: ({ args }) => {
      if (args.length > 1) throw new UsageError(`drill takes at most one backup id, not ${args.length} arguments`);
      const [id] = args;
      return ({ backups }) => backups.drillBackup(id);
    },
    exitCode: (result) => (result.status === 'OK' ? 0 : 1),
    describe: describeDrilled,
  }),
  ...SCHEDULE_COMMANDS,
  ...ALERT_COMMANDS,
];
