// Sign-in screen: e-mail + password. Field errors (ours or the server's `error.fields`)
// show under their field; wrong credentials and too many attempts show above the form,
// the latter with a live "try again in …" from Retry-After.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type User } from '../api';
import { PageHeading } from '../ui/PageHeading';
import { TextField } from '../ui/TextField';

type FieldErrors = { email?: string; password?: string };

interface LoginPageProps {
  /** Shown above the form, e.g. "You have signed out." */
  notice: string | null;
  onSignedIn: (user: User) => void;
}

function waitText(seconds: number): string {
  if (seconds <= 0) return 'You can try again now.';
  if (seconds < 90) return `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

export function LoginPage({ notice, onSignedIn }: LoginPageProps): JSX.Element {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());
  const [submitting, setSubmitting] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    emailRef.current?.focus();
  }, []);

  useEffect(() => {
    if (retryUntil === null) return undefined;
    const tick = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= retryUntil) clearInterval(tick);
    }, 1000);
    return () => clearInterval(tick);
  }, [retryUntil]);

  const focusFirstInvalid = (errors: FieldErrors): void => {
    if (errors.email) emailRef.current?.focus();
    else if (errors.password) passwordRef.current?.focus();
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (submitting) return;
    const missing: FieldErrors = {};
    if (email.trim() === '') missing.email = 'Enter your e-mail address.';
    if (password === '') missing.password = 'Enter your password.';
    setError(null);
    setRetryUntil(null);
    setFieldErrors(missing);
    if (missing.email || missing.password) {
      focusFirstInvalid(missing);
      return;
    }
    setSubmitting(true);
    try {
      const user = await api.login(email.trim(), password);
      onSignedIn(user);
    } catch (err) {
      setSubmitting(false);
      if (!(err instanceof ApiError)) {
        setError('Something went wrong. Try again.');
        return;
      }
      if (err.code === 'validation_failed' && Object.keys(err.fields).length > 0) {
        const fromServer: FieldErrors = {};
        if (err.fields['email']) fromServer.email = err.fields['email'];
        if (err.fields['password']) fromServer.password = err.fields['password'];
        setFieldErrors(fromServer);
        if (!fromServer.email && !fromServer.password) setError(err.message);
        focusFirstInvalid(fromServer);
      } else if (err.status === 401) {
        setError('The e-mail address or password is not right.');
        setPassword('');
        passwordRef.current?.focus();
      } else if (err.status === 429) {
        setError('Too many sign-in attempts.');
        if (err.retryAfter !== null) {
          setNow(Date.now());
          setRetryUntil(Date.now() + err.retryAfter * 1000);
        }
      } else {
        setError(err.message);
      }
    }
  };

  const waitSeconds = retryUntil === null ? null : Math.max(0, Math.ceil((retryUntil - now) / 1000));

  return (
    <div class="login">
      <main class="login-card" id="main">
        <p class="brand brand--large">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          Leadmap
        </p>
        <PageHeading>Sign in</PageHeading>
        {notice && !error && (
          <p class="notice notice--info" role="status">
            {notice}
          </p>
        )}
        {error && (
          <div class="notice notice--error" role="alert" id="login-error">
            <p>{error}</p>
            {waitSeconds !== null && <p class="retry-after">{waitText(waitSeconds)}</p>}
          </div>
        )}
        <form class="stack" noValidate onSubmit={submit} aria-describedby={error ? 'login-error' : undefined}>
          <TextField
            id="email"
            label="E-mail"
            type="email"
            autoComplete="username"
            value={email}
            error={fieldErrors.email}
            inputRef={emailRef}
            onInput={setEmail}
          />
          <TextField
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            error={fieldErrors.password}
            inputRef={passwordRef}
            onInput={setPassword}
          />
          <button type="submit" class="button button--primary button--block" disabled={submitting} aria-busy={submitting}>
            {submitting ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </main>
    </div>
  );
}
