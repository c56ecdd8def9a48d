'use client';

import { useActionState } from 'react';
import { loginAction } from './actions';
import styles from './login.module.css';
import { INITIAL_LOGIN_STATE } from './login-state';

/**
 * Email and password, posted to `loginAction`. Works before the JavaScript
 * loads (a plain form post); afterwards a refusal is shown without a reload,
 * in an alert so screen readers announce it.
 */
export function LoginForm({ next }: { next: string }) {
  const [state, formAction, isPending] = useActionState(loginAction, INITIAL_LOGIN_STATE);
  const errorId = 'login-error';
  return (
    <form action={formAction} className={styles.form}>
      <input type="hidden" name="next" value={next} />
      <div className={styles.field}>
        <label htmlFor="login-email">Email</label>
        <input
          id="login-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? errorId : undefined}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? errorId : undefined}
        />
      </div>
      {state.error ? (
        <p id={errorId} role="alert" className={styles.error}>
          {state.error}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={isPending}>
        {isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
