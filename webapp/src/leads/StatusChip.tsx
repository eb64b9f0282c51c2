// A lead's status with its admin-chosen colour (a dot, so the text stays readable) and,
// when it adds something, its life-cycle state.

import type { JSX } from 'preact';
import { stateLabel } from './format';

const COLOR = /^#[0-9a-fA-F]{3,8}$/;

export function StatusChip({ name, color, state }: { name: string; color: string | null; state: string }): JSX.Element {
  const showState = stateLabel(state).toLowerCase() !== name.toLowerCase();
  return (
    <span class="lead-status">
      <span class="lead-status-dot" aria-hidden="true" style={color && COLOR.test(color) ? { backgroundColor: color } : undefined} />
      {name}
      {showState && <span class="lead-status-state"> · {stateLabel(state)}</span>}
    </span>
  );
}
