// The app's top level: restores the session on start, shows the sign-in screen or the
// signed-in shell, and maps paths to screens.

import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, type User } from './api';
import { CallLogPage } from './call-log/CallLogPage';
import { HomePage } from './home/HomePage';
import { LeadsPage } from './leads/LeadsPage';
import { LoginPage } from './login/LoginPage';
import { FunnelPage } from './map-editor/FunnelPage';
import { NotFoundPage } from './NotFoundPage';
import { navigate, usePath } from './router';
import { SettingsPage } from './settings/SettingsPage';
import { Shell, type NavItem } from './shell/Shell';
import { TasksPage } from './tasks/TasksPage';
import { ErrorNotice, Loading } from './ui/Status';

type Session =
  | { kind: 'restoring' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'signed-out'; notice: string | null }
  | { kind: 'signed-in'; user: User; signingOut: boolean };

const LOGIN_PATH = '/login';

/**
 * The main navigation (the phone's bottom bar). `unbuilt`: a screen that only says "Not
 * available yet" keeps its entry here but out of the bar; its slot goes to something that
 * works. Tasks come back by dropping the flag (and giving the Lead Bank its slot back).
 */
const NAV: readonly (NavItem & { adminOnly?: boolean; unbuilt?: boolean })[] = [
  { path: '/', label: 'Home' },
  { path: '/call-log', label: 'Call log' },
  { path: '/leads', label: 'Leads' },
  { path: '/tasks', label: 'Tasks', unbuilt: true },
  { path: '/call-log/lead-bank', label: 'Lead Bank' },
  { path: '/settings', label: 'Settings', adminOnly: true },
];

/** Where to go after signing in: the page the user asked for before being sent to sign in. */
let afterSignIn = '/';

/** Signed out: the address becomes /login, remembering the page that was asked for. */
function goToLogin(): void {
  if (location.pathname === LOGIN_PATH) return;
  afterSignIn = location.pathname + location.search;
  navigate(LOGIN_PATH, { replace: true });
}

/** Signed in: leave /login for the page that was asked for. */
function leaveLogin(): void {
  if (location.pathname === LOGIN_PATH) navigate(afterSignIn, { replace: true });
  afterSignIn = '/';
}

function Screen({ path, user }: { path: string; user: User }): JSX.Element {
  // Each section owns the paths below its prefix (/leads/42, /settings/statuses …).
  const section = '/' + (path.split('/')[1] ?? '');
  switch (section) {
    case '/':
      return path === '/' ? <HomePage user={user} /> : <NotFoundPage />;
    case '/call-log':
      return <CallLogPage path={path} user={user} />;
    case '/leads':
      return <LeadsPage path={path} user={user} />;
    case '/maps':
      return <FunnelPage path={path} user={user} />;
    case '/tasks':
      return <TasksPage path={path} />;
    case '/settings':
      return user.role === 'admin' ? <SettingsPage path={path} user={user} /> : <NotFoundPage forbidden />;
    default:
      return <NotFoundPage />;
  }
}

export function App(): JSX.Element {
  const path = usePath();
  const [session, setSession] = useState<Session>({ kind: 'restoring' });

  const restore = useCallback(() => {
    setSession({ kind: 'restoring' });
    api.restore().then(
      (user) => {
        if (user) {
          leaveLogin();
          setSession({ kind: 'signed-in', user, signingOut: false });
        } else {
          goToLogin();
          setSession({ kind: 'signed-out', notice: null });
        }
      },
      (err: unknown) =>
        setSession({
          kind: 'unreachable',
          message: err instanceof ApiError ? err.message : 'Leadmap could not start.',
        }),
    );
  }, []);

  useEffect(restore, [restore]);

  useEffect(
    () =>
      api.onSessionChange((user) => {
        if (!user) goToLogin();
        setSession((current) =>
          user
            ? { kind: 'signed-in', user, signingOut: current.kind === 'signed-in' && current.signingOut }
            : { kind: 'signed-out', notice: 'Your session has ended. Sign in again.' },
        );
      }),
    [],
  );

  // Keep the address bar in step with the session when the user moves through history
  // (Back to /leads after signing out, Forward to /login while signed in).
  useEffect(() => {
    if (session.kind === 'signed-out') goToLogin();
    else if (session.kind === 'signed-in') leaveLogin();
  }, [session.kind, path]);

  const signOut = async (): Promise<void> => {
    if (session.kind !== 'signed-in') return;
    setSession({ ...session, signingOut: true });
    try {
      await api.logout();
    } catch {
      // The local session is gone either way; the server revokes the cookie on its next use.
    }
    afterSignIn = '/';
    navigate(LOGIN_PATH);
    setSession({ kind: 'signed-out', notice: 'You have signed out.' });
  };

  switch (session.kind) {
    case 'restoring':
      return (
        <div class="splash">
          <Loading />
        </div>
      );
    case 'unreachable':
      return (
        <div class="splash">
          <ErrorNotice message={session.message} onRetry={restore} />
        </div>
      );
    case 'signed-out':
      return (
        <LoginPage
          notice={session.notice}
          onSignedIn={(user) => {
            leaveLogin();
            setSession({ kind: 'signed-in', user, signingOut: false });
          }}
        />
      );
    case 'signed-in': {
      if (path === LOGIN_PATH) return <div class="splash" />; // leaving /login (effect above)
      const { user } = session;
      const nav = NAV.filter((item) => !item.unbuilt && (!item.adminOnly || user.role === 'admin'));
      return (
        <Shell user={user} path={path} nav={nav} signingOut={session.signingOut} onSignOut={signOut}>
          <Screen path={path} user={user} />
        </Shell>
      );
    }
  }
}
