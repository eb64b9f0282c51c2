// Loading and error states shared by every screen.

import type { JSX } from 'preact';

export function Loading({ label = 'Loading…' }: { label?: string }): JSX.Element {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorNotice({
  message,
  onRetry,
}: {
  message: string;
  onRetry?: () => void;
}): JSX.Element {
  return (
    <div class="notice notice--error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
