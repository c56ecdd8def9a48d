import { Readable } from 'node:stream';
import { authorizeBackupAdmin } from '@/lib/actions/admin-action';
import { openBackupForDownload } from '@/lib/utils/backup-service';
import { downloadErrorStatus } from './error-status';

/**
 * Streams a backup's encrypted file to an administrator (never a base64
 * string inside an action). Same access rules as the actions; audited.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const access = await authorizeBackupAdmin('backup.download');
  if (!access.allowed) {
    const retryAfter = access.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(access.retryAfterSeconds) };
    return new Response(access.error, { status: access.status, headers: retryAfter });
  }
  const { id } = await params;
  const opened = await openBackupForDownload(id, { actor: access.context.audit });
  if (!opened.success) return new Response(opened.error, { status: downloadErrorStatus(opened.code) });
  return new Response(Readable.toWeb(opened.data.stream) as ReadableStream, {
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(opened.data.size),
      'Content-Disposition': `attachment; filename="${opened.data.filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
