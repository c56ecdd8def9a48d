import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/lib/auth/current-user';
import { afterSignInPath } from '@/lib/auth/safe-next-path';
import styles from './login.module.css';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };

/** The sign-in page; `?next=/path` says where to go afterwards. Someone already signed in goes straight there. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  const nextPath = afterSignInPath(next);
  if (await getCurrentUser()) redirect(nextPath);
  return (
    <section className={styles.panel} aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      <LoginForm next={nextPath} />
    </section>
  );
}
