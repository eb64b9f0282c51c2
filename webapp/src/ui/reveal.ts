// Keeps what has focus clear of the sticky header and the phone's bottom bar. The CSS
// scroll-padding on <html> (styles.css) already steers scrollIntoView and the browser's own
// focus scrolling; this catches the cases it does not (focus moved by a script with
// preventScroll, or a browser that scrolls focus only until the element is barely on screen).

/** The part of the window the header and bottom bar leave free. */
function clearArea(): { top: number; bottom: number } {
  const top = document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0;
  const nav = document.querySelector('.mainnav');
  const fixed = nav !== null && getComputedStyle(nav).position === 'fixed';
  return { top: Math.max(top, 0), bottom: fixed ? nav.getBoundingClientRect().top : window.innerHeight };
}

/** Scrolls `el` the least distance that puts it in the free area (scroll-padding applies). */
export function reveal(el: Element): void {
  if (el.closest('dialog')) return; // a modal sits above the bars
  const rect = el.getBoundingClientRect();
  const area = clearArea();
  if (rect.top < area.top || rect.bottom > area.bottom) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** Reveals every element that receives focus; returns the function that stops it. */
export function revealFocus(): () => void {
  const onFocus = (event: FocusEvent): void => {
    const el = event.target;
    // Headings and notices (tabindex -1) take focus from scripts that choose their own
    // scrolling: a screen's heading after Back must not undo the restored position.
    if (!(el instanceof HTMLElement) || el === document.body || el.tabIndex < 0) return;
    // After the browser's own scrolling for this focus has happened.
    requestAnimationFrame(() => {
      if (document.activeElement === el) reveal(el);
    });
  };
  document.addEventListener('focusin', onFocus);
  return () => document.removeEventListener('focusin', onFocus);
}
