// Moving focus where the user needs it next.

/** After a failed save: the first control marked invalid, so its error is read out with it. */
export function focusFirstInvalid(container: HTMLElement | null): void {
  const el = container?.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (el) el.focus();
  else container?.querySelector<HTMLElement>('[role="alert"]')?.focus();
}

/** When a form opens: its first control. */
export function focusFirstControl(container: HTMLElement | null): void {
  container?.querySelector<HTMLElement>('input, select, textarea')?.focus();
}
