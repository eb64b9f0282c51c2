// Lists kept in memory by address (path + query) for the length of the session in this
// tab, so that Back to a list shows the rows and pages the user had loaded, at once, and
// the router can put the scroll position back (router.tsx restoreScroll). Nothing is
// written to storage: a reload starts afresh.

const lists = new Map<string, unknown>();

/** Notes what the list at `address` shows now. */
export function rememberList<T>(address: string, value: T): void {
  lists.set(address, value);
}

/** What the list at `address` showed when the user left it, if anything. */
export function recallList<T>(address: string): T | undefined {
  return lists.get(address) as T | undefined;
}
