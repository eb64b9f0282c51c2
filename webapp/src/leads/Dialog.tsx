// A modal dialog on the native <dialog> element: the browser keeps focus inside it, Esc
// closes it, and focus returns to the control that opened it.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface DialogProps {
  /** The id of the dialog's title (an <h2> it renders). */
  id: string;
  title: string;
  open: boolean;
  /** False while the dialog's work is in flight: Esc then does nothing. */
  canClose?: boolean;
  onClose: () => void;
  children: ComponentChildren;
}

export function Dialog({ id, title, open, canClose = true, onClose, children }: DialogProps): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      class="lead-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        if (!canClose) e.preventDefault();
      }}
      onClose={() => {
        if (open) onClose();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}
