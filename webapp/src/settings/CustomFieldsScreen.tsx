// Custom fields: the attributes admins add to the lead record. Each has a key (for the
// API, search and imports) and a type, both fixed once added; a label, help text, a
// required flag, options for the choice types, a default of its type, and the lead types
// it applies to (none ticked: all of them).

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { CheckboxField, CheckboxGroup, InputField, SelectField, TextAreaField } from '../ui/FormControls';
import { ErrorNotice, Loading } from '../ui/Status';
import { FIELD_TYPES, hasOptions, listSettings, type CustomField, type FieldType, type LookupItem } from './api';
import { checkOptions, describeValue, draftOf, keyFromLabel, parseOptions, valueOf, type ValueDraft } from './fieldValues';
import { localFailure } from './failure';
import { ListScreen, settingOps, type ItemFormProps } from './ListScreen';
import { nextPosition, parsePosition } from './positions';
import { SettingsForm } from './SettingsForm';
import { useLoad } from './useLoad';

const KEY = /^[a-z][a-z0-9_]{0,63}$/;

function typeLabel(type: FieldType): string {
  return FIELD_TYPES.find((t) => t.value === type)?.label ?? type;
}

function leadTypeNames(ids: readonly number[], leadTypes: readonly LookupItem[]): string {
  if (ids.length === 0) return 'All lead types';
  return ids.map((id) => leadTypes.find((t) => t.id === id)?.name ?? `#${id}`).join(', ');
}

function FieldSummary({ item, extra: leadTypes }: { item: CustomField; extra: LookupItem[] }): JSX.Element {
  const fallback = describeValue(item.type, item.default);
  return (
    <div class="settings-field-summary">
      <p>
        <span class="settings-item-name">{item.label}</span> <code class="settings-code">{item.key}</code>
      </p>
      <p class="settings-meta">
        {typeLabel(item.type)}
        {item.required ? ', required' : ''} · Applies to: {leadTypeNames(item.type_ids, leadTypes)}
      </p>
      {item.options && item.options.length > 0 && <p class="settings-meta muted">Options: {item.options.join(', ')}</p>}
      {fallback !== '' && <p class="settings-meta muted">Default: {fallback}</p>}
      {item.help && <p class="settings-meta muted">Help: {item.help}</p>}
    </div>
  );
}

interface DefaultInputProps {
  id: string;
  type: FieldType;
  options: readonly string[];
  draft: ValueDraft;
  error: string | undefined;
  onChange: (draft: ValueDraft) => void;
}

/** The default value, edited with the control a lead's value of this type gets. */
function DefaultInput({ id, type, options, draft, error, onChange }: DefaultInputProps): JSX.Element {
  const label = 'Default value';
  const setText = (text: string): void => onChange({ ...draft, text });
  switch (type) {
    case 'long_text':
      return <TextAreaField id={id} label={label} hint="Optional." value={draft.text} error={error} onInput={setText} />;
    case 'number':
      return <InputField id={id} label={label} type="number" step="any" hint="Optional." value={draft.text} error={error} onInput={setText} />;
    case 'money':
      return (
        <InputField id={id} label={label} inputMode="decimal" hint="Optional, like 1200.00." value={draft.text} error={error} onInput={setText} />
      );
    case 'date':
      return <InputField id={id} label={label} type="date" hint="Optional." value={draft.text} error={error} onInput={setText} />;
    case 'datetime':
      return (
        <InputField id={id} label={label} type="datetime-local" hint="Optional; your local time." value={draft.text} error={error} onInput={setText} />
      );
    case 'checkbox':
      return (
        <SelectField
          id={id}
          label={label}
          value={draft.text}
          options={[
            { value: '', label: 'No default' },
            { value: 'true', label: 'Ticked' },
            { value: 'false', label: 'Not ticked' },
          ]}
          error={error}
          onChange={setText}
        />
      );
    case 'dropdown':
    case 'radio':
      return (
        <SelectField
          id={id}
          label={label}
          hint={options.length === 0 ? 'List the options first.' : undefined}
          value={options.includes(draft.text) ? draft.text : ''}
          options={[{ value: '', label: 'No default' }, ...options.map((o) => ({ value: o, label: o }))]}
          error={error}
          onChange={setText}
        />
      );
    case 'multi_select':
      return (
        <CheckboxGroup
          id={id}
          legend={label}
          hint="Optional: the options ticked on a new lead."
          options={options.map((o) => ({ value: o, label: o }))}
          selected={draft.choices.filter((c) => options.includes(c))}
          empty="List the options first."
          error={error}
          onChange={(choices) => onChange({ ...draft, choices })}
        />
      );
    case 'text':
      return <InputField id={id} label={label} hint="Optional." value={draft.text} maxLength={255} error={error} onInput={setText} />;
  }
}

function FieldForm(props: ItemFormProps<CustomField, LookupItem[]>): JSX.Element {
  const { item, idPrefix, busy, failure, extra: leadTypes, items, onSubmit, onInvalid, onCancel } = props;
  const [label, setLabel] = useState(item?.label ?? '');
  const [key, setKey] = useState(item?.key ?? '');
  const [keyTouched, setKeyTouched] = useState(item !== null);
  const [type, setType] = useState<FieldType>(item?.type ?? 'text');
  const [required, setRequired] = useState(item?.required ?? false);
  const [help, setHelp] = useState(item?.help ?? '');
  const [optionsText, setOptionsText] = useState((item?.options ?? []).join('\n'));
  const [fallback, setFallback] = useState<ValueDraft>(draftOf(item?.type ?? 'text', item?.default ?? null));
  const [typeIds, setTypeIds] = useState<number[]>(item?.type_ids ?? []);
  const [position, setPosition] = useState(String(item ? item.position : nextPosition(items)));
  const options = hasOptions(type) ? parseOptions(optionsText) : [];
  const fieldError = (name: string): string | undefined => failure?.fields[name];

  // Lead types to offer: the active ones, and inactive ones the field already applies to.
  const typeChoices = leadTypes
    .filter((t) => t.active || typeIds.includes(t.id))
    .map((t) => ({ value: t.id, label: t.active ? t.name : `${t.name} (inactive)` }));

  const submit = (): void => {
    const errors: Record<string, string> = {};
    if (label.trim() === '') errors['label'] = 'Enter a label.';
    if (item === null && !KEY.test(key)) errors['key'] = 'Use a-z, 0-9 and _, starting with a letter, at most 64 characters.';
    const optionsError = checkOptions(type, options);
    if (optionsError) errors['options'] = optionsError;
    const value = valueOf(type, fallback, options);
    if ('error' in value) errors['default'] = value.error;
    if (help.length > 500) errors['help'] = 'At most 500 characters.';
    const pos = parsePosition(position);
    if ('error' in pos) errors['position'] = pos.error;
    const local = localFailure(errors);
    if (local) return onInvalid(local);
    if (!('value' in value) || !('value' in pos)) return;
    const body: Record<string, unknown> = {
      label: label.trim(),
      required,
      help: help.trim() === '' ? null : help.trim(),
      default: value.value,
      type_ids: typeIds,
      position: pos.value,
    };
    if (hasOptions(type)) body['options'] = options;
    if (item === null) {
      body['key'] = key;
      body['type'] = type;
    }
    onSubmit(body);
  };

  return (
    <SettingsForm
      label={item ? `Edit custom field ${item.label}` : 'Add custom field'}
      submitLabel={item ? 'Save' : 'Add custom field'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div class="settings-fields">
        <InputField
          id={`${idPrefix}-label`}
          label="Label"
          value={label}
          maxLength={120}
          error={fieldError('label')}
          onInput={(value) => {
            setLabel(value);
            if (!keyTouched) setKey(keyFromLabel(value));
          }}
        />
        {item === null ? (
          <InputField
            id={`${idPrefix}-key`}
            label="Key"
            hint="a-z, 0-9 and _, starting with a letter. Fixed once added."
            value={key}
            maxLength={64}
            spellcheck={false}
            autoComplete="off"
            error={fieldError('key')}
            onInput={(value) => {
              setKeyTouched(true);
              setKey(value);
            }}
          />
        ) : (
          <div class="field">
            <p class="settings-label">Key</p>
            <p>
              <code class="settings-code">{item.key}</code>
            </p>
          </div>
        )}
        {item === null ? (
          <SelectField
            id={`${idPrefix}-type`}
            label="Type"
            hint="Fixed once added."
            value={type}
            options={FIELD_TYPES}
            error={fieldError('type')}
            onChange={(value) => {
              setType(value as FieldType);
              setFallback({ text: '', choices: [] });
            }}
          />
        ) : (
          <div class="field">
            <p class="settings-label">Type</p>
            <p>{typeLabel(item.type)}</p>
          </div>
        )}
        <InputField
          id={`${idPrefix}-position`}
          label="Position"
          type="number"
          min={0}
          max={100000}
          step={1}
          inputMode="numeric"
          hint="Order on the lead record; lower comes first."
          value={position}
          error={fieldError('position')}
          onInput={setPosition}
        />
      </div>
      {hasOptions(type) && (
        <TextAreaField
          id={`${idPrefix}-options`}
          label="Options"
          hint="One per line, in the order they are offered."
          rows={Math.min(8, Math.max(3, options.length + 1))}
          value={optionsText}
          error={fieldError('options')}
          onInput={setOptionsText}
        />
      )}
      <DefaultInput
        id={`${idPrefix}-default`}
        type={type}
        options={options}
        draft={fallback}
        error={fieldError('default')}
        onChange={setFallback}
      />
      <InputField
        id={`${idPrefix}-help`}
        label="Help text"
        hint="Optional; shown with the field on the lead record."
        value={help}
        maxLength={500}
        error={fieldError('help')}
        onInput={setHelp}
      />
      <CheckboxField
        id={`${idPrefix}-required`}
        label="Required"
        hint="A lead cannot be saved without it."
        checked={required}
        error={fieldError('required')}
        onChange={setRequired}
      />
      <CheckboxGroup
        id={`${idPrefix}-types`}
        legend="Applies to lead types"
        hint="Tick none to apply it to every lead type."
        options={typeChoices}
        selected={typeIds}
        empty="There are no lead types yet: the field applies to every lead."
        error={fieldError('type_ids')}
        onChange={setTypeIds}
      />
    </SettingsForm>
  );
}

export function CustomFieldsScreen(): JSX.Element {
  const leadTypes = useLoad(() => listSettings('lead-types'));
  if (leadTypes.state.kind === 'loading') return <Loading label="Loading custom fields…" />;
  if (leadTypes.state.kind === 'error') return <ErrorNotice message={leadTypes.state.message} onRetry={leadTypes.reload} />;
  return (
    <ListScreen<CustomField, LookupItem[]>
      idBase="custom-fields"
      title="Custom fields"
      noun="custom field"
      intro="Fields added to the lead record, for all lead types or only some."
      ops={settingOps('custom-fields')}
      extra={leadTypes.state.data}
      removal="deactivate"
      removeNote={() => 'Leads keep the values they have, but the field is no longer shown or asked for. You can reactivate it later.'}
      nameOf={(item) => item.label}
      fields={['label', 'key', 'type', 'required', 'default', 'help', 'options', 'position', 'type_ids']}
      Summary={FieldSummary}
      Form={FieldForm}
    />
  );
}
