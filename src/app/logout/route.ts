import { cookies } from 'next/headers';
import { getRequestContext, isSameOriginRequest } from '@/lib/auth/request-context';
import { endSession, readSession } from '@/lib/auth/session';
import { signOut } from '@/lib/auth/sign-out';
import { getDb } from '@/lib/db/client';

/**
 * Signs out and goes to the sign-in page. POST only: Next answers 405 to a
 * GET, so a link, a prefetch or an `<img src="/logout">` never signs anyone
 * out. Another site's form is refused too (Server Actions get that check
 * from Next; Route Handlers do not). The session ends in the database first,
 * so a copy of the cookie is worthless afterwards; then the cookie is
 * cleared.
 */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request.headers)) return new Response('Cross-site sign-out refused.', { status: 403 });
  const store = await cookies();
  const session = await readSession(store);
  if (session) {
    const { prisma } = await getDb();
    await signOut(prisma, session, await getRequestContext());
  }
  await endSession(store);
  // 303: the browser follows with a GET, not a second POST.
  return new Response(null, { status: 303, headers: { Location: '/login' } });
}
