// Settings (admin only). For now: the users list from GET /api/v1/settings/users.

import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, listSettingsUsers, type User } from '../api';
import { PageHeading } from '../ui/PageHeading';
import { roleLabel } from '../ui/roles';
import { ErrorNotice, Loading } from '../ui/Status';

const PERMISSION_LABELS: Record<string, string> = {
  'archive.reactivate': 'Reactivate archived leads',
};

type UsersState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; users: User[]; next: string | null; loadingMore: boolean; moreError: string | null };

function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong.';
}

function UsersTable({ users }: { users: User[] }): JSX.Element {
  return (
    <table class="table table--stack">
      <caption class="visually-hidden">Users</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">E-mail</th>
          <th scope="col">Role</th>
          <th scope="col">Permissions</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.id}>
            <th scope="row" data-label="Name">
              {user.name}
            </th>
            <td data-label="E-mail">{user.email}</td>
            <td data-label="Role">{roleLabel(user.role)}</td>
            <td data-label="Permissions">
              {user.permissions.length === 0
                ? '—'
                : user.permissions.map((p) => PERMISSION_LABELS[p] ?? p).join(', ')}
            </td>
            <td data-label="Status">{user.active ? 'Active' : 'Deactivated'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** path: the full address path under this section; user: who is signed in. */
export function SettingsPage(_props: { path: string; user: User }): JSX.Element {
  const [state, setState] = useState<UsersState>({ kind: 'loading' });

  const load = useCallback(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    listSettingsUsers().then(
      (page) => {
        if (!cancelled) setState({ kind: 'ready', users: page.items, next: page.next, loadingMore: false, moreError: null });
      },
      (err: unknown) => {
        if (!cancelled) setState({ kind: 'error', message: messageOf(err) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(load, [load]);

  const loadMore = async (): Promise<void> => {
    if (state.kind !== 'ready' || state.next === null) return;
    setState({ ...state, loadingMore: true, moreError: null });
    try {
      const page = await listSettingsUsers(state.next);
      setState({ kind: 'ready', users: [...state.users, ...page.items], next: page.next, loadingMore: false, moreError: null });
    } catch (err) {
      setState({ ...state, loadingMore: false, moreError: messageOf(err) });
    }
  };

  return (
    <>
      <PageHeading>Settings</PageHeading>
      <section class="panel" aria-labelledby="settings-users">
        <h2 id="settings-users">Users</h2>
        {state.kind === 'loading' && <Loading label="Loading users…" />}
        {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={load} />}
        {state.kind === 'ready' && (
          <>
            {state.users.length === 0 ? <p class="muted">No users yet.</p> : <UsersTable users={state.users} />}
            {state.moreError && <ErrorNotice message={state.moreError} />}
            {state.next !== null && (
              <button type="button" class="button button--secondary" onClick={loadMore} disabled={state.loadingMore}>
                {state.loadingMore ? 'Loading…' : 'Load more users'}
              </button>
            )}
          </>
        )}
      </section>
    </>
  );
}
