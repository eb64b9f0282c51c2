// How call-log states read on screen. Every coloured state also has a text label, so
// colour is never the only signal.

import type { CallState } from './api';

export const STATE_LABELS: Record<CallState, string> = {
  not_scheduled: 'Not scheduled',
  scheduled: 'Scheduled',
  missed: 'Missed',
  past_due: 'Past due',
  abandoned: 'Abandoned',
  available: 'Available',
  archived: 'Archived',
};

export function stateLabel(state: CallState): string {
  return STATE_LABELS[state] ?? state;
}

/** The tabs in order: their address, the API's name and the label. */
export const TABS = [
  { path: '/call-log', tab: 'to_be_scheduled', label: 'To Be Scheduled' },
  { path: '/call-log/schedule', tab: 'schedule', label: 'Schedule' },
  { path: '/call-log/lead-bank', tab: 'lead_bank', label: 'Lead Bank' },
] as const;

export type TabInfo = (typeof TABS)[number];

/** Counts stop at the server's cap (counts_cap): more shows as "100+". */
const COUNT_CAP = 100;
export function countText(n: number): string {
  return n >= COUNT_CAP ? `${COUNT_CAP}+` : String(n);
}
