/** What the login form shows after a refused attempt. */
export interface TLoginState {
  /** The message for the user, or null before the first attempt. */
  error: string | null;
  /** The address typed, so it need not be typed again (never the password). */
  email: string;
}

export const INITIAL_LOGIN_STATE: TLoginState = { error: null, email: '' };
