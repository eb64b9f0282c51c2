// Groups own leads. Each group has geographic rules (postal-code prefix, region, country)
// that give a new lead's ownership to the group when its address matches. A group can be
// deleted only while no user or lead belongs to it.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { InputField, SelectField } from '../ui/FormControls';
import { RULE_KINDS, type Group, type GroupRule, type RuleKind } from './api';
import { localFailure } from './failure';
import { ListScreen, settingOps, type ItemFormProps } from './ListScreen';
import { SettingsForm } from './SettingsForm';

function ruleText(rule: GroupRule): string {
  const kind = RULE_KINDS.find((k) => k.value === rule.kind)?.label ?? rule.kind;
  return `${kind} ${rule.value}`;
}

function GroupSummary({ item }: { item: Group }): JSX.Element {
  return (
    <div>
      <p class="settings-item-name">{item.name}</p>
      {item.rules.length === 0 ? (
        <p class="settings-meta muted">No geographic rules.</p>
      ) : (
        <ul class="settings-rules" aria-label={`Rules of ${item.name}`}>
          {item.rules.map((rule, i) => (
            <li key={i} class="settings-meta">
              {ruleText(rule)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface DraftRule {
  /** Stable key for the row while editing (index keys would move focus between rows). */
  key: number;
  kind: RuleKind;
  value: string;
}

let nextRuleKey = 1;

function draftRule(kind: RuleKind = 'postal_prefix', value = ''): DraftRule {
  return { key: nextRuleKey++, kind, value };
}

function GroupForm(props: ItemFormProps<Group, null>): JSX.Element {
  const { item, idPrefix, busy, failure, onSubmit, onInvalid, onCancel } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [rules, setRules] = useState<DraftRule[]>(() => (item?.rules ?? []).map((r) => draftRule(r.kind, r.value)));
  const rulesError = failure?.fields['rules'];

  const change = (key: number, patch: Partial<DraftRule>): void =>
    setRules((current) => current.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const addRule = (): void => {
    const rule = draftRule();
    setRules((current) => [...current, rule]);
    setTimeout(() => document.getElementById(`${idPrefix}-rule-${rule.key}-kind`)?.focus(), 0);
  };

  const removeRule = (index: number): void => {
    setRules((current) => current.filter((_, i) => i !== index));
    // Keep the focus in the editor: on the next rule's Remove, the previous one's, or Add rule.
    const left = rules.filter((_, i) => i !== index);
    const neighbour = left[index] ?? left[index - 1];
    setTimeout(
      () =>
        document.getElementById(neighbour ? `${idPrefix}-rule-${neighbour.key}-remove` : `${idPrefix}-add-rule`)?.focus(),
      0,
    );
  };

  const submit = (): void => {
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors['name'] = 'Enter a name.';
    if (rules.some((r) => r.value.trim() === '' || r.value.trim().length > 40))
      errors['rules'] = 'Give every rule a value of 1 to 40 characters, or remove it.';
    const local = localFailure(errors);
    if (local) return onInvalid(local);
    onSubmit({ name: name.trim(), rules: rules.map((r) => ({ kind: r.kind, value: r.value.trim() })) });
  };

  return (
    <SettingsForm
      label={item ? `Edit group ${item.name}` : 'Add group'}
      submitLabel={item ? 'Save' : 'Add group'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <InputField id={`${idPrefix}-name`} label="Name" value={name} maxLength={120} error={failure?.fields['name']} onInput={setName} />
      <fieldset
        class={rulesError ? 'field field-group field--invalid' : 'field field-group'}
        aria-describedby={rulesError ? `${idPrefix}-rules-error` : `${idPrefix}-rules-hint`}
        data-invalid={rulesError ? 'true' : undefined}
      >
        <legend>Geographic rules</legend>
        <p class="field-hint" id={`${idPrefix}-rules-hint`}>
          A new lead whose address matches any rule is owned by this group.
        </p>
        {rules.length === 0 && <p class="muted">No rules.</p>}
        {rules.length > 0 && (
          <ol class="settings-rule-rows">
            {rules.map((rule, i) => (
              <li key={rule.key} class="settings-rule-row">
                <SelectField
                  id={`${idPrefix}-rule-${rule.key}-kind`}
                  label={`Rule ${i + 1}: match`}
                  value={rule.kind}
                  options={RULE_KINDS}
                  onChange={(kind) => change(rule.key, { kind: kind as RuleKind })}
                />
                <InputField
                  id={`${idPrefix}-rule-${rule.key}-value`}
                  label={`Rule ${i + 1}: value`}
                  value={rule.value}
                  maxLength={40}
                  onInput={(value) => change(rule.key, { value })}
                />
                <button
                  type="button"
                  id={`${idPrefix}-rule-${rule.key}-remove`}
                  class="button button--secondary button--small settings-rule-remove"
                  onClick={() => removeRule(i)}
                >
                  Remove<span class="visually-hidden"> rule {i + 1}</span>
                </button>
              </li>
            ))}
          </ol>
        )}
        <button type="button" id={`${idPrefix}-add-rule`} class="button button--secondary button--small" onClick={addRule}>
          Add rule
        </button>
        {rulesError && (
          <p class="field-error" id={`${idPrefix}-rules-error`}>
            {rulesError}
          </p>
        )}
      </fieldset>
    </SettingsForm>
  );
}

export function GroupsScreen(): JSX.Element {
  return (
    <ListScreen<Group, null>
      idBase="groups"
      title="Groups"
      noun="group"
      intro="Groups own leads; supervisors see the leads of their groups. Rules assign new leads by address."
      ops={settingOps('groups')}
      extra={null}
      removal="delete"
      removeNote={() => 'The group and its rules are deleted. This is refused while users or leads still belong to it.'}
      nameOf={(item) => item.name}
      fields={['name', 'rules']}
      Summary={GroupSummary}
      Form={GroupForm}
    />
  );
}
