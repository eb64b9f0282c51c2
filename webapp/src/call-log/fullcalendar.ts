// FullCalendar (v7, vanilla) mounted on an element, showing the signed-in user's
// follow-ups: day / week / month on wide screens, an agenda list on phones. Loaded on
// demand (import()) so the rest of the app does not carry it.
//
// v7 ships its CSS as files, imported here so Vite emits them as a stylesheet asset: the
// app's CSP (style-src 'self') forbids the <style> tags FullCalendar v6 injected.

import { Calendar, type EventInput, type EventSourceFuncInfo } from 'fullcalendar';
import dayGridPlugin from 'fullcalendar/daygrid';
import listPlugin from 'fullcalendar/list';
import timeGridPlugin from 'fullcalendar/timegrid';
import classicTheme from 'fullcalendar/themes/classic';
import 'fullcalendar/skeleton.css';
import 'fullcalendar/themes/classic/theme.css';
import 'fullcalendar/themes/classic/palette.css';
import { listEvents, type CalendarEvent } from './api';

/** Wide enough for the day / week / month grids (the app's 48rem breakpoint). */
const WIDE = '(min-width: 48rem)';

export interface CalendarHandlers {
  /** A follow-up was chosen: open its lead. */
  onOpenLead: (leadId: number) => void;
  /** Loading the events failed (message to show), or succeeded again (null). */
  onError: (message: string | null) => void;
  onLoading: (loading: boolean) => void;
}

function toInput(e: CalendarEvent): EventInput {
  const missed = e.call_state === 'missed';
  return {
    id: e.id,
    // The state is in the words, not only in the colour.
    title: missed ? `Missed: ${e.title}` : e.title,
    start: e.start,
    end: e.end,
    url: `/leads/${e.lead_id}`,
    className: missed ? 'calllog-event calllog-event--missed' : 'calllog-event',
    extendedProps: { leadId: e.lead_id, phone: e.phone },
  };
}

/**
 * The grid that scrolls inside the calendar (the day and week views' hours) gets a tab
 * stop, so keyboard users can reach it and scroll it with the arrow keys (a week with no
 * follow-ups has nothing else focusable inside). Found by its computed overflow:
 * FullCalendar's class names are generated. The scroller sits between the grid's row
 * group and its row, where a focusable element would break the grid's structure for
 * screen readers, so the tab stop goes on the row inside it (rows may take focus); a
 * scroller without a row takes it itself.
 */
function focusableScrollers(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLElement>('div')) {
    const { overflowX, overflowY } = getComputedStyle(el);
    if (!/auto|scroll/.test(`${overflowX} ${overflowY}`)) continue;
    const target = el.querySelector<HTMLElement>('[role="row"]') ?? el;
    if (!target.hasAttribute('tabindex')) target.tabIndex = 0;
  }
}

/**
 * A month-grid day names itself from what it shows: its day number and its follow-ups.
 * FullCalendar labels the cell with the full date and hides the number, so a day with
 * follow-ups had a name that left out all its visible text (WCAG 2.5.3, Label in Name);
 * the grid's title and column headers give the month and weekday.
 */
function dayNamedByContent(cell: HTMLElement): void {
  if (!cell.hasAttribute('aria-label')) return;
  cell.removeAttribute('aria-label');
  for (const hidden of cell.querySelectorAll<HTMLElement>('[aria-hidden="true"]')) {
    if (hidden.textContent?.trim()) hidden.removeAttribute('aria-hidden');
  }
}

function layout(wide: boolean): { view: string; toolbar: { start: string; center?: string; end: string } } {
  return wide
    ? {
        view: 'timeGridWeek',
        toolbar: { start: 'prev,next today', center: 'title', end: 'timeGridDay,timeGridWeek,dayGridMonth' },
      }
    : { view: 'listWeek', toolbar: { start: 'title', end: 'prev,today,next' } };
}

/** Renders the calendar into `el`; returns the function that removes it. */
export function mountCalendar(el: HTMLElement, handlers: CalendarHandlers): () => void {
  const media = window.matchMedia(WIDE);
  const initial = layout(media.matches);
  const calendar = new Calendar(el, {
    plugins: [dayGridPlugin, timeGridPlugin, listPlugin, classicTheme],
    initialView: initial.view,
    headerToolbar: initial.toolbar,
    firstDay: 1,
    height: 'auto',
    // The day and week grids scroll inside a fixed height, opening at the working day.
    views: {
      timeGridDay: { height: undefined, contentHeight: 560 },
      timeGridWeek: { height: undefined, contentHeight: 560 },
    },
    nowIndicator: true,
    scrollTime: '08:00:00',
    eventMinHeight: 22,
    dayMaxEvents: true,
    // Hooks for the app's own CSS (FullCalendar's own class names are generated).
    headerToolbarClass: 'calllog-fc-toolbar',
    listItemEventTitleClass: 'calllog-fc-list-title',
    listItemEventTimeClass: 'calllog-fc-list-time',
    noEventsText: 'No follow-ups in this period.',
    // The "Today" button's name starts with what it shows (FullCalendar's default hint,
    // "This Week", hides the word "Today" from screen readers).
    todayText: 'Today',
    todayHint: (unitText: string) => `Today: this ${unitText.toLowerCase()}`,
    viewDidMount: (info) => focusableScrollers(info.el),
    dayCellDidMount: (info) => {
      if (info.view.type === 'dayGridMonth') dayNamedByContent(info.el);
    },
    eventTimeFormat: { hour: '2-digit', minute: '2-digit' },
    events: async (info: EventSourceFuncInfo) => {
      try {
        const items = await listEvents(info.start, info.end);
        handlers.onError(null);
        return items.map(toInput);
      } catch (err) {
        handlers.onError(err instanceof Error ? err.message : 'The follow-ups could not be loaded.');
        return [];
      }
    },
    loading: (isLoading: boolean) => handlers.onLoading(isLoading),
    eventClick: (info) => {
      const event = info.jsEvent;
      // Let the browser open a new tab or window for modified clicks; navigate in place otherwise.
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button > 0) return;
      event.preventDefault();
      handlers.onOpenLead(Number(info.event.extendedProps['leadId']));
    },
  });
  calendar.render();

  const onChange = (): void => {
    const next = layout(media.matches);
    calendar.setOption('headerToolbar', next.toolbar);
    calendar.changeView(next.view);
  };
  media.addEventListener('change', onChange);
  return () => {
    media.removeEventListener('change', onChange);
    calendar.destroy();
  };
}
