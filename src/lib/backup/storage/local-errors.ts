import { StorageError, systemErrorCode } from './errors';

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
const ACCESS_DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);
// Network filesystems (NFS/SMB) surface outages as these; a later attempt can succeed.
const UNAVAILABLE = new Set(['ETIMEDOUT', 'EHOSTDOWN', 'ESTALE']);

/** Maps a filesystem error raised while doing `verb` ("write", "read"...) on `location` inside `dir`. */
export function mapFsError(error: unknown, verb: string, location: string, dir: string): StorageError {
  if (error instanceof StorageError) return error;
  const code = systemErrorCode(error) ?? 'unknown error';
  if (NO_SPACE.has(code)) {
    return new StorageError('NO_SPACE', `Not enough disk space in ${dir} to write the backup (${code})`, { cause: error });
  }
  if (ACCESS_DENIED.has(code)) {
    return new StorageError(
      'ACCESS_DENIED',
      `Permission denied to ${verb} ${location} (${code}): the server's user needs read/write access to ${dir}`,
      { cause: error },
    );
  }
  if (UNAVAILABLE.has(code)) {
    return new StorageError('UNAVAILABLE', `The filesystem holding ${dir} is not responding (${code})`, { cause: error });
  }
  return new StorageError('UNKNOWN', `Could not ${verb} ${location} (${code})`, { cause: error });
}
