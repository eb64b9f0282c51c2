// Assignment rules: a custom field's value puts a new lead on a map (the first rule by
// position wins; a rule never moves a lead already on a map). Listed with the maps, added
// with a small form, deleted from their row.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { loadLists } from '../leads/lists';
import { failureOf, localFailure, messageOf, type Failure } from '../settings/failure';
import { SettingsForm } from '../settings/SettingsForm';
import { useLoad } from '../settings/useLoad';
import { InputField, SelectField } from '../ui/FormControls';
import { ErrorNotice, Loading } from '../ui/Status';
import { createRule, deleteRule, listMaps, listRules } from './api';

/** The custom field types whose value a rule can match. */
const RULE_TYPES = new Set(['text', 'dropdown', 'radio', 'multi_select']);

async function loadRules() {
  const [rules, maps, lists] = await Promise.all([listRules(), listMaps(), loadLists()]);
  return { rules, maps, fields: lists.customFields.filter((f) => RULE_TYPES.has(f.type)) };
}

type RulesData = Awaited<ReturnType<typeof loadRules>>;

function AddRule({ data, onAdded, onCancel }: { data: RulesData; onAdded: () => void; onCancel: () => void }): JSX.Element {
  const active = data.fields.filter((f) => f.active);
  const [fieldId, setFieldId] = useState(active[0] ? String(active[0].id) : '');
  const [value, setValue] = useState('');
  const [mapId, setMapId] = useState(data.maps[0] ? String(data.maps[0].id) : '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const field = active.find((f) => String(f.id) === fieldId);
  const submit = async (): Promise<void> => {
    const errors: Record<string, string> = {};
    if (!field) errors['field_id'] = 'Choose a custom field.';
    if (value.trim() === '') errors['value'] = 'Enter the value.';
    if (mapId === '') errors['map_id'] = 'Choose a map.';
    const local = localFailure(errors);
    if (local) return setFailure(local);
    setBusy(true);
    try {
      await createRule({ field_id: Number(fieldId), value: value.trim(), map_id: Number(mapId) });
      onAdded();
    } catch (err) {
      setFailure(failureOf(err, ['field_id', 'value', 'map_id']));
      setBusy(false);
    }
  };
  return (
    <SettingsForm label="Add rule" submitLabel="Add rule" busy={busy} failure={failure} onSubmit={() => void submit()} onCancel={onCancel}>
      <div class="settings-fields">
        <SelectField
          id="rule-field"
          label="Custom field"
          value={fieldId}
          options={active.map((f) => ({ value: String(f.id), label: f.label }))}
          error={failure?.fields['field_id']}
          onChange={(id) => {
            setFieldId(id);
            setValue('');
          }}
        />
        {field?.options ? (
          <SelectField
            id="rule-value"
            label="Value"
            value={value}
            options={[{ value: '', label: 'Choose a value' }, ...field.options.map((o) => ({ value: o, label: o }))]}
            error={failure?.fields['value']}
            onChange={setValue}
          />
        ) : (
          <InputField id="rule-value" label="Value" value={value} maxLength={400} error={failure?.fields['value']} onInput={setValue} />
        )}
        <SelectField
          id="rule-map"
          label="Map"
          value={mapId}
          options={data.maps.map((m) => ({ value: String(m.id), label: m.name }))}
          error={failure?.fields['map_id']}
          onChange={setMapId}
        />
      </div>
    </SettingsForm>
  );
}

export function RulesSection(): JSX.Element {
  const { state, reload, refresh } = useLoad(loadRules);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const remove = async (id: number): Promise<void> => {
    setError(null);
    try {
      await deleteRule(id);
      setNotice('Rule deleted.');
      refresh();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <section class="panel settings-section" aria-labelledby="rules-title">
      <div class="settings-section-head">
        <h2 id="rules-title">Assignment rules</h2>
        {!adding && state.kind === 'ready' && (
          <button type="button" class="button button--primary button--small" onClick={() => setAdding(true)}>
            Add rule
          </button>
        )}
      </div>
      <p class="muted">A new lead whose custom field holds the value enters the map. The first rule that matches wins; a rule never moves a lead already on a map.</p>
      {state.kind === 'loading' && <Loading label="Loading rules…" />}
      {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={reload} />}
      {state.kind === 'ready' && adding && (
        <AddRule
          data={state.data}
          onCancel={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            setNotice('Rule added.');
            refresh();
          }}
        />
      )}
      {error && <ErrorNotice message={error} />}
      <p role="status" class="settings-notice">
        {notice}
      </p>
      {state.kind === 'ready' &&
        (state.data.rules.length === 0 ? (
          <p>No rules yet.</p>
        ) : (
          <ul class="settings-items" aria-label="Assignment rules">
            {state.data.rules.map((rule) => {
              const field = state.data.fields.find((f) => f.id === rule.field_id)?.label ?? rule.field_key ?? 'A deleted field';
              const map = state.data.maps.find((m) => m.id === rule.map_id)?.name ?? `map ${rule.map_id}`;
              const text = `${field} is “${rule.value}” → ${map}`;
              return (
                <li key={rule.id} class="settings-item">
                  <p>{text}</p>
                  <button type="button" class="button button--secondary button--small settings-danger" aria-label={`Delete rule ${text}`} onClick={() => void remove(rule.id)}>
                    Delete
                  </button>
                </li>
              );
            })}
          </ul>
        ))}
    </section>
  );
}
