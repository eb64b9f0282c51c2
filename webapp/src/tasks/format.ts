// How a task's due time and stage read on screen.

export const STAGE_LABEL = { open: 'Open', pending: 'Pending', completed: 'Completed' } as const;

/** "Tue 8 Dec, 09:00" in the browser's zone. */
export function dueText(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
