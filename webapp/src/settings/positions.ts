// Position: the order of an item in its list (lower first), edited as a plain number.

/** The position field's text → the number the API takes, or an error message. */
export function parsePosition(text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: 0 };
  if (!/^\d+$/.test(trimmed) || Number(trimmed) > 100000) return { error: 'A whole number from 0 to 100000.' };
  return { value: Number(trimmed) };
}

/** The position a new item gets by default: after the last one. */
export function nextPosition(items: readonly { position: number }[]): number {
  return items.reduce((max, item) => Math.max(max, item.position), 0) + 1;
}
