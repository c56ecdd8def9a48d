import { runJob } from '@/lib/backup/runtime/job-runner';

/**
 * A stand-in for the web server in the job-runner tests: starts one backup in
 * a backup child process (configured from this process's environment, as the
 * app is), prints `STARTED <backup id> <child pid>` once its row exists, and
 * waits. On SIGTERM it exits the way `next start` does (process.exit), which
 * must stop the child cleanly; SIGKILL gives it no say at all.
 */
process.on('SIGTERM', () => process.exit(143));
const job = runJob({ operation: 'backup', input: {}, actor: { actorId: null } });
const id = await job.started;
process.stdout.write(`STARTED ${id}\n`);
process.stdout.write(`RESULT ${JSON.stringify(await job.result)}\n`);
