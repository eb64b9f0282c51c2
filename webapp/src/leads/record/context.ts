// What every section of the lead page shares: the lead as last loaded, the admin lists,
// who is signed in, and the page's save / reload / "something changed" calls.

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from '../../api';
import type { Lead, LeadInput } from '../api';
import type { Lists } from '../lists';

/** How a PATCH ended: saved, refused for stale data (412), or refused with field errors. */
export type SaveOutcome =
  | { kind: 'saved' }
  | { kind: 'conflict' }
  | { kind: 'failed'; message: string; fields: Readonly<Record<string, string>> };

export interface LeadPageContext {
  lead: Lead;
  lists: Lists;
  user: User;
  /** Seen only through the Lead Bank: nothing may change until the user claims it. */
  readOnly: boolean;
  /** PATCH the lead with If-Match: the version on screen. */
  save: (patch: LeadInput) => Promise<SaveOutcome>;
  /** Fetch the lead again (after a conflict), closing every open form. */
  reload: () => void;
  /** A newer lead from an action: show it, and refresh the history. */
  replace: (lead: Lead) => void;
  /** Something was recorded in the history (a note): refresh it. */
  touched: () => void;
  /** Bumped whenever the history may have new entries. */
  historyTick: number;
}

export const LeadContext = createContext<LeadPageContext | null>(null);

export function useLead(): LeadPageContext {
  const ctx = useContext(LeadContext);
  if (ctx === null) throw new Error('useLead outside the lead page');
  return ctx;
}
