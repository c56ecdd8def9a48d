import { cookies } from 'next/headers';
import { isSameOriginRequest } from '@/lib/auth/request-context';
import { endSession } from '@/lib/auth/session';

/**
 * Signs out and goes to the sign-in page. POST only: Next answers 405 to a
 * GET, so a link, a prefetch or an `<img src="/logout">` never signs anyone
 * out. Another site's form is refused too (Server Actions get that check
 * from Next; Route Handlers do not).
 */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request.headers)) return new Response('Cross-site sign-out refused.', { status: 403 });
  await endSession(await cookies());
  // 303: the browser follows with a GET, not a second POST.
  return new Response(null, { status: 303, headers: { Location: '/login' } });
}
