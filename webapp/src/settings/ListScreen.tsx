// The shape every settings list shares: a heading with "Add …", the add form, the items
// (active and inactive) with inline Edit, Deactivate (or Delete) behind a confirmation,
// Reactivate, and a status line announcing what happened. A screen supplies what differs:
// how to load and save, how an item reads (summary) and its form.
//
// DESIGN: one form is open at a time (the add form or one row's edit form). The edit form
// replaces the row in place and takes the focus; closing it gives the focus back to the
// row's Edit button, so keyboard users never lose their place. After a save the list is
// asked for again in the background, so it shows the server's order.

import type { ComponentType, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorNotice, Loading } from '../ui/Status';
import { createSetting, listSettings, removeSetting, updateSetting, type SettingBody, type SettingItems, type SettingKind } from './api';
import { failureOf, messageOf, type Failure } from './failure';
import { useLoad } from './useLoad';

export interface BaseItem {
  id: number;
  active?: boolean;
}

export interface ListOps<T> {
  load: () => Promise<T[]>;
  /** Creates (item null) or edits an item; answers with the saved item. */
  save: (item: T | null, body: SettingBody) => Promise<T>;
  /** Deactivates or deletes (see ListScreenProps.removal). */
  remove: (item: T) => Promise<void>;
  /** Makes an inactive item active again. */
  reactivate?: (item: T) => Promise<T>;
}

/** The operations of a list under /api/v1/settings/{kind}. */
export function settingOps<K extends SettingKind>(kind: K): ListOps<SettingItems[K]> {
  return {
    load: () => listSettings(kind),
    save: (item, body) => (item === null ? createSetting(kind, body) : updateSetting(kind, item.id, body)),
    remove: (item) => removeSetting(kind, item.id),
    reactivate: (item) => updateSetting(kind, item.id, { active: true }),
  };
}

export interface ItemFormProps<T, E> {
  /** null: the add form. */
  item: T | null;
  /** Prefix for the ids of the form's controls (unique on the page). */
  idPrefix: string;
  busy: boolean;
  failure: Failure | null;
  /** What the screen loaded besides the items (lead types, users …). */
  extra: E;
  /** The list as loaded (e.g. to place a new item after the last). */
  items: readonly T[];
  onSubmit: (body: SettingBody) => void;
  /** A check in the browser failed: show it like a server answer. */
  onInvalid: (failure: Failure) => void;
  onCancel: () => void;
}

/** A second inline form on a row besides Edit (e.g. "Reset password" for users). */
export interface RowPanel<T> {
  label: string;
  Form: ComponentType<{ item: T; idPrefix: string; onDone: (message: string) => void; onCancel: () => void }>;
}

export interface ItemGroup<T> {
  key: string;
  label: string;
  items: T[];
}

interface ListScreenProps<T extends BaseItem, E> {
  /** Prefix for element ids, e.g. "statuses". */
  idBase: string;
  title: string;
  /** One item, lower case: "status", "lead type". */
  noun: string;
  intro?: string;
  ops: ListOps<T>;
  extra: E;
  /** Lists deactivate (and reactivate); groups and units are deleted. */
  removal: 'deactivate' | 'delete';
  /** What deactivating or deleting means, for the confirmation. */
  removeNote: (item: T) => string;
  /** Items that cannot be removed (e.g. the signed-in admin). */
  canRemove?: (item: T) => boolean;
  nameOf: (item: T) => string;
  /** The field names the form shows; server errors for other names go to the form message. */
  fields: readonly string[];
  Summary: ComponentType<{ item: T; extra: E }>;
  Form: ComponentType<ItemFormProps<T, E>>;
  groups?: (items: T[]) => ItemGroup<T>[];
  panel?: RowPanel<T>;
}

type Open = { kind: 'add' } | { kind: 'edit'; id: number } | { kind: 'panel'; id: number } | null;

function focusSoon(id: string): void {
  setTimeout(() => document.getElementById(id)?.focus(), 0);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function ListScreen<T extends BaseItem, E>(props: ListScreenProps<T, E>): JSX.Element {
  const { idBase, title, noun, intro, ops, extra, removal, removeNote, canRemove, nameOf, fields, Summary, Form, groups, panel } =
    props;
  const list = useLoad(ops.load);
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [notice, setNotice] = useState('');
  const [listError, setListError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<T | null>(null);
  const [removeBusy, setRemoveBusy] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const removeLabel = removal === 'delete' ? 'Delete' : 'Deactivate';
  const addButtonId = `${idBase}-add`;
  const rowButtonId = (item: T, what: string): string => `${idBase}-${item.id}-${what}`;

  const openForm = (next: Open): void => {
    setOpen(next);
    setFailure(null);
    setListError(null);
  };

  const close = (focusId: string): void => {
    setOpen(null);
    setFailure(null);
    focusSoon(focusId);
  };

  const submit = async (item: T | null, body: SettingBody): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      const saved = await ops.save(item, body);
      list.update((items) => (item === null ? [...items, saved] : items.map((x) => (x.id === saved.id ? saved : x))));
      list.refresh();
      setNotice(`${capitalise(noun)} “${nameOf(saved)}” ${item === null ? 'added' : 'saved'}.`);
      if (item === null) {
        setOpen(null);
        focusSoon(addButtonId);
      } else {
        close(rowButtonId(saved, 'edit'));
      }
    } catch (err) {
      setFailure(failureOf(err, fields));
    } finally {
      setBusy(false);
    }
  };

  const reactivate = async (item: T): Promise<void> => {
    if (!ops.reactivate) return;
    setListError(null);
    try {
      const saved = await ops.reactivate(item);
      list.update((items) => items.map((x) => (x.id === saved.id ? saved : x)));
      setNotice(`${capitalise(noun)} “${nameOf(saved)}” is active again.`);
      focusSoon(rowButtonId(saved, 'remove'));
    } catch (err) {
      setListError(messageOf(err));
    }
  };

  const confirmRemove = async (): Promise<void> => {
    if (removing === null) return;
    const item = removing;
    setRemoveBusy(true);
    setRemoveError(null);
    try {
      await ops.remove(item);
      list.update((items) =>
        removal === 'delete' ? items.filter((x) => x.id !== item.id) : items.map((x) => (x.id === item.id ? { ...x, active: false } : x)),
      );
      setRemoving(null);
      setNotice(`${capitalise(noun)} “${nameOf(item)}” ${removal === 'delete' ? 'deleted' : 'deactivated'}.`);
      focusSoon(removal === 'delete' ? addButtonId : rowButtonId(item, 'reactivate'));
    } catch (err) {
      setRemoveError(messageOf(err));
    } finally {
      setRemoveBusy(false);
    }
  };

  const renderItem = (item: T): JSX.Element => {
    const name = nameOf(item);
    const inactive = item.active === false;
    if (open?.kind === 'edit' && open.id === item.id) {
      return (
        <li key={item.id} class="settings-item settings-item--open">
          <Form
            item={item}
            idPrefix={`${idBase}-${item.id}`}
            busy={busy}
            failure={failure}
            extra={extra}
            items={list.state.kind === 'ready' ? list.state.data : []}
            onSubmit={(body) => void submit(item, body)}
            onInvalid={setFailure}
            onCancel={() => close(rowButtonId(item, 'edit'))}
          />
        </li>
      );
    }
    const PanelForm = panel?.Form;
    return (
      <li key={item.id} class={inactive ? 'settings-item settings-item--inactive' : 'settings-item'}>
        <div class="settings-item-body">
          <Summary item={item} extra={extra} />
          {inactive && <span class="settings-badge">Inactive</span>}
        </div>
        <div class="settings-item-actions">
          <button
            type="button"
            id={rowButtonId(item, 'edit')}
            class="button button--secondary button--small"
            onClick={() => openForm({ kind: 'edit', id: item.id })}
          >
            Edit<span class="visually-hidden"> {name}</span>
          </button>
          {panel && (
            <button
              type="button"
              id={rowButtonId(item, 'panel')}
              class="button button--secondary button--small"
              aria-expanded={open?.kind === 'panel' && open.id === item.id}
              onClick={() => openForm({ kind: 'panel', id: item.id })}
            >
              {panel.label}
              <span class="visually-hidden"> for {name}</span>
            </button>
          )}
          {inactive && ops.reactivate ? (
            <button
              type="button"
              id={rowButtonId(item, 'reactivate')}
              class="button button--secondary button--small"
              onClick={() => void reactivate(item)}
            >
              Reactivate<span class="visually-hidden"> {name}</span>
            </button>
          ) : (
            !inactive &&
            (canRemove?.(item) ?? true) && (
              <button
                type="button"
                id={rowButtonId(item, 'remove')}
                class="button button--secondary button--small settings-danger"
                onClick={() => {
                  setRemoveError(null);
                  setRemoving(item);
                }}
              >
                {removeLabel}
                <span class="visually-hidden"> {name}</span>
              </button>
            )
          )}
        </div>
        {PanelForm && open?.kind === 'panel' && open.id === item.id && (
          <div class="settings-item-panel">
            <PanelForm
              item={item}
              idPrefix={`${idBase}-${item.id}-panel`}
              onDone={(message) => {
                setNotice(message);
                close(rowButtonId(item, 'panel'));
              }}
              onCancel={() => close(rowButtonId(item, 'panel'))}
            />
          </div>
        )}
      </li>
    );
  };

  const renderList = (items: T[], label: string): JSX.Element =>
    items.length === 0 ? (
      <p class="muted">None yet.</p>
    ) : (
      <ul class="settings-items" aria-label={label}>
        {items.map(renderItem)}
      </ul>
    );

  const headingId = `${idBase}-heading`;
  return (
    <section class="panel settings-section" aria-labelledby={headingId}>
      <div class="settings-section-head">
        <h2 id={headingId}>{title}</h2>
        <button
          type="button"
          id={addButtonId}
          class="button button--primary button--small"
          aria-expanded={open?.kind === 'add'}
          /* a new item goes after the last one: wait for the list */
          disabled={list.state.kind !== 'ready'}
          onClick={() => (open?.kind === 'add' ? close(addButtonId) : openForm({ kind: 'add' }))}
        >
          Add {noun}
        </button>
      </div>
      {intro && <p class="muted">{intro}</p>}
      <p class="settings-notice" role="status">
        {notice}
      </p>
      {open?.kind === 'add' && (
        <div class="settings-add">
          <Form
            item={null}
            idPrefix={`${idBase}-new`}
            busy={busy}
            failure={failure}
            extra={extra}
            items={list.state.kind === 'ready' ? list.state.data : []}
            onSubmit={(body) => void submit(null, body)}
            onInvalid={setFailure}
            onCancel={() => close(addButtonId)}
          />
        </div>
      )}
      {listError && <ErrorNotice message={listError} />}
      {list.state.kind === 'loading' && <Loading label={`Loading ${title.toLowerCase()}…`} />}
      {list.state.kind === 'error' && <ErrorNotice message={list.state.message} onRetry={list.reload} />}
      {list.state.kind === 'ready' &&
        (groups ? (
          groups(list.state.data).map((group) => (
            <section key={group.key} class="settings-group" aria-labelledby={`${idBase}-group-${group.key}`}>
              <h3 id={`${idBase}-group-${group.key}`}>{group.label}</h3>
              {renderList(group.items, `${group.label} ${title.toLowerCase()}`)}
            </section>
          ))
        ) : list.state.data.length === 0 ? (
          <p class="muted">No {title.toLowerCase()} yet.</p>
        ) : (
          renderList(list.state.data, title)
        ))}
      <ConfirmDialog
        open={removing !== null}
        title={removing ? `${removeLabel} ${noun} “${nameOf(removing)}”?` : ''}
        confirmLabel={removeLabel}
        busy={removeBusy}
        error={removeError}
        onConfirm={() => void confirmRemove()}
        onCancel={() => {
          const item = removing;
          setRemoving(null);
          if (item) focusSoon(rowButtonId(item, 'remove'));
        }}
      >
        <p>{removing ? removeNote(removing) : ''}</p>
      </ConfirmDialog>
    </section>
  );
}
