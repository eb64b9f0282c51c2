// Loads what a settings screen shows: loading → ready | error, a reload for "Try again",
// and a way to change the loaded data in place after a save.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from './failure';

export type Loaded<T> =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; data: T };

export interface Loader<T> {
  state: Loaded<T>;
  /** Shows the loading state and asks again (the "Try again" button). */
  reload: () => void;
  /** Asks again in the background, keeping the current data on screen. */
  refresh: () => void;
  /** Changes the loaded data in place (after a save answered with the new item). */
  update: (change: (data: T) => T) => void;
}

export function useLoad<T>(load: () => Promise<T>): Loader<T> {
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  // Only the newest request may set the state (a slow old answer must not win).
  const generation = useRef(0);

  const fetchNow = useCallback((quiet: boolean) => {
    const mine = ++generation.current;
    if (!quiet) setState({ kind: 'loading' });
    loadRef.current().then(
      (data) => {
        if (mine === generation.current) setState({ kind: 'ready', data });
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        // A failed background refresh keeps what is on screen.
        setState((current) => (quiet && current.kind === 'ready' ? current : { kind: 'error', message: messageOf(err) }));
      },
    );
  }, []);

  useEffect(() => {
    fetchNow(false);
    return () => {
      generation.current++;
    };
  }, [fetchNow]);

  const reload = useCallback(() => fetchNow(false), [fetchNow]);
  const refresh = useCallback(() => fetchNow(true), [fetchNow]);
  const update = useCallback((change: (data: T) => T) => {
    setState((current) => (current.kind === 'ready' ? { kind: 'ready', data: change(current.data) } : current));
  }, []);

  return { state, reload, refresh, update };
}
