import fs from 'node:fs';
import { BackupError, MESSAGES } from '../errors/errors';

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Refuses a restore path that is not a regular file once symlinks are
 * followed, before the operation lock is taken: reading a FIFO waits for a
 * writer for ever, a device such as /dev/zero never ends, a directory fails
 * only deep inside the restore. It only stats the path (never opens it), so
 * the check itself cannot block. A missing path is FILE_MISSING, as before.
 */
export async function requireRegularFile(filePath: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new BackupError('FILE_MISSING', MESSAGES.fileMissing, { cause: error });
    throw new BackupError('INVALID_INPUT', `${filePath} cannot be read (${code ?? 'unknown error'}): give the path of a backup file`, {
      cause: error,
    });
  }
  if (!stat.isFile()) {
    throw new BackupError('INVALID_INPUT', `${filePath} is not a regular file (it is ${kindOf(stat)}): give the path of a backup file`);
  }
}
