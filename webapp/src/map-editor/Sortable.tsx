// A vertical list reordered by drag and drop with @dnd-kit (through preact/compat): by
// pointer, by touch after a short press, and by keyboard (focus an item's handle, Space
// to pick it up, the arrow keys to move it, Space to drop it, Escape to cancel). What
// happens is announced by name in a live region.

import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  arrayMove,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { ComponentChildren, JSX } from 'preact';

interface SortableListProps<T> {
  items: readonly T[];
  keyOf: (item: T) => string;
  /** How an item is called in announcements ("step Pick a plan"). */
  nameOf: (item: T) => string;
  onReorder: (items: T[]) => void;
  label: string;
  children: ComponentChildren;
}

export function SortableList<T>(props: SortableListProps<T>): JSX.Element {
  const { items, keyOf, nameOf, onReorder, label, children } = props;
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const keys = items.map(keyOf);
  const name = (id: string | number): string => {
    const item = items.find((i) => keyOf(i) === String(id));
    return item ? nameOf(item) : 'the item';
  };
  const position = (id: string | number): number => keys.indexOf(String(id)) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${name(active.id)}, position ${position(active.id)} of ${keys.length}.`,
    onDragOver: ({ active, over }) =>
      over ? `${name(active.id)} is over position ${position(over.id)} of ${keys.length}.` : `${name(active.id)} is not over a position.`,
    onDragEnd: ({ active, over }) =>
      over ? `${name(active.id)} dropped at position ${position(over.id)} of ${keys.length}.` : `${name(active.id)} dropped.`,
    onDragCancel: ({ active }) => `Moving ${name(active.id)} cancelled.`,
  };
  const end = ({ active, over }: DragEndEvent): void => {
    if (!over || active.id === over.id) return;
    const from = keys.indexOf(String(active.id));
    const to = keys.indexOf(String(over.id));
    if (from < 0 || to < 0) return;
    onReorder(arrayMove([...items], from, to));
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={end}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable: `To move an item of ${label}, press Space, use the arrow keys, then Space again to drop it or Escape to cancel.`,
        },
      }}
    >
      <SortableContext items={keys} strategy={verticalListSortingStrategy}>
        <ol class="sortable-list" aria-label={label}>
          {children}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

interface SortableItemProps {
  id: string;
  /** The drag handle's accessible name, e.g. "Move step Pick a plan". */
  handleLabel: string;
  class?: string;
  children: ComponentChildren;
}

/** One item: a drag handle (the keyboard's way in) beside the item's content. */
export function SortableItem({ id, handleLabel, class: className, children }: SortableItemProps): JSX.Element {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id });
  const style = { transform: CSS.Transform.toString(transform), transition };
  // A <button> is a button already: dnd-kit's role attribute is for other elements.
  const { role, ...handleAttributes } = attributes;
  return (
    <li ref={setNodeRef} style={style} class={`sortable-item${isDragging ? ' sortable-item--dragging' : ''} ${className ?? ''}`}>
      <button
        type="button"
        ref={setActivatorNodeRef}
        class="drag-handle"
        {...handleAttributes}
        {...listeners}
        aria-label={handleLabel}
      >
        <span aria-hidden="true">⠿</span>
      </button>
      <div class="sortable-item-body">{children}</div>
    </li>
  );
}
