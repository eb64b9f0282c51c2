// The admin-defined fields that apply to the lead's type. Only the values that changed are
// sent, so the history records exactly what the user edited.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { CustomValue, LeadInput } from '../api';
import { CustomFieldInput, customValueText, sameValue, toApiValue, toFormValue, type FormValue } from '../CustomFieldInput';
import { fieldsForType } from '../lists';
import { useLead } from './context';
import { EditableSection, Facts } from './Section';

export function CustomFields(): JSX.Element {
  const { lead, lists } = useLead();
  const [draft, setDraft] = useState<Record<string, FormValue>>({});
  const fields = fieldsForType(lists.customFields, lead.type_id);
  const initial = (): Record<string, FormValue> => Object.fromEntries(fields.map((f) => [f.key, toFormValue(f, lead.custom[f.key])]));

  const patch = (): LeadInput | null => {
    const before = initial();
    const custom: Record<string, CustomValue> = {};
    for (const f of fields) {
      const v = draft[f.key];
      if (v !== undefined && !sameValue(v, before[f.key] ?? toFormValue(f, null))) custom[f.key] = toApiValue(f, v);
    }
    return Object.keys(custom).length ? { custom } : null;
  };

  return (
    <EditableSection
      id="lead-custom"
      title="Custom fields"
      canEdit={fields.length > 0}
      handles={(key) => key === 'custom' || fields.some((f) => key === `custom.${f.key}`)}
      onOpen={() => setDraft(initial())}
      patch={patch}
      view={
        fields.length === 0 ? (
          <p class="muted">No extra fields apply to this lead type.</p>
        ) : (
          <Facts items={fields.map((f) => [f.label, customValueText(f, lead.custom[f.key])] as [string, string])} />
        )
      }
      form={(errors) => (
        <>
          {errors['custom'] && <p class="field-error">{errors['custom']}</p>}
          {fields.map((f) => (
            <CustomFieldInput
              key={f.key}
              field={f}
              idPrefix="custom-edit"
              value={draft[f.key] ?? toFormValue(f, null)}
              error={errors[`custom.${f.key}`]}
              onChange={(v) => setDraft((d) => ({ ...d, [f.key]: v }))}
            />
          ))}
        </>
      )}
    />
  );
}
