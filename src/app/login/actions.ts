'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { signIn } from '@/lib/auth/login';
import { getRequestContext } from '@/lib/auth/request-context';
import { afterSignInPath } from '@/lib/auth/safe-next-path';
import { getSessionConfig, startSession } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import type { TLoginState } from './login-state';

/**
 * The login form's action: signs in (throttled, audited, the session
 * recorded in the database), sets the session cookie and redirects to the
 * form's `next` path when it is on this site, else home. A refusal returns
 * its message and the typed address.
 */
export async function loginAction(_previous: TLoginState, form: FormData): Promise<TLoginState> {
  // First, so a server without its session secret fails before recording a sign-in it cannot complete.
  const sessionConfig = getSessionConfig();
  const email = form.get('email');
  const { prisma } = await getDb();
  const result = await signIn(prisma, { email, password: form.get('password') }, await getRequestContext());
  if (!result.ok) return { error: result.message, email: typeof email === 'string' ? email.slice(0, 254) : '' };
  await startSession(await cookies(), result.session, sessionConfig);
  redirect(afterSignInPath(form.get('next')));
}
