// Key dates: start (the first save), the plan (an expected completion date, or an estimated
// duration from the start), the time left or overdue in words (worked out by the API when
// the lead was loaded), and the actual completion.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { DurationUnit, LeadInput } from '../api';
import { Field, FieldGroup } from '../Field';
import { DURATION_UNITS, durationInWords, formatDateTime, isoToLocalInput, localInputToIso, spanInWords } from '../format';
import { useLead } from './context';
import { EditableSection, Facts } from './Section';

type Plan = 'date' | 'duration' | 'none';

interface Draft {
  plan: Plan;
  expected: string;
  value: string;
  unit: DurationUnit;
}

const KEYS = new Set(['expected_completion', 'estimated_duration']);

export function KeyDates(): JSX.Element {
  const { lead } = useLead();
  const [draft, setDraft] = useState<Draft | null>(null);
  const open = lead.state === 'new' || lead.state === 'in_progress';

  const patch = (): LeadInput | null => {
    if (!draft) return null;
    if (draft.plan === 'none') {
      return lead.expected_completion === null && lead.estimated_duration === null
        ? null
        : { expected_completion: null, estimated_duration: null };
    }
    if (draft.plan === 'date') {
      const iso = localInputToIso(draft.expected);
      const unchanged = lead.expected_completion !== null && isoToLocalInput(lead.expected_completion) === draft.expected;
      if (unchanged && lead.estimated_duration === null) return null;
      // an unreadable date goes as typed: the API says what it expects
      return { expected_completion: iso ?? draft.expected, estimated_duration: null };
    }
    const value = Number(draft.value);
    const d = lead.estimated_duration;
    if (d && d.value === value && d.unit === draft.unit && lead.expected_completion === null) return null;
    return {
      expected_completion: null,
      estimated_duration: { value: Number.isInteger(value) ? value : (draft.value as unknown as number), unit: draft.unit },
    };
  };

  let left: [string, JSX.Element | string | null] = ['Time to completion', null];
  if (open && lead.time_overdue !== null) {
    left = ['Time overdue', <strong class="lead-overdue">{`Overdue by ${spanInWords(lead.time_overdue)}`}</strong>];
  } else if (open && lead.time_to_completion !== null) {
    left = ['Time to completion', `${spanInWords(lead.time_to_completion)} left`];
  }

  return (
    <EditableSection
      id="lead-dates"
      title="Key dates"
      handles={(key) => KEYS.has(key)}
      onOpen={() =>
        setDraft({
          plan: lead.expected_completion ? 'date' : lead.estimated_duration ? 'duration' : 'none',
          expected: isoToLocalInput(lead.expected_completion),
          value: lead.estimated_duration ? String(lead.estimated_duration.value) : '',
          unit: lead.estimated_duration?.unit ?? 'days',
        })
      }
      patch={patch}
      view={
        <Facts
          items={[
            ['Start', formatDateTime(lead.start_date)],
            lead.estimated_duration && !lead.expected_completion
              ? [
                  'Estimated duration',
                  `${durationInWords(lead.estimated_duration.value, lead.estimated_duration.unit)} from the start` +
                    ` (until ${formatDateTime(lead.expected_end)})`,
                ]
              : ['Expected completion', formatDateTime(lead.expected_completion)],
            left,
            ['Actual completion', formatDateTime(lead.actual_completion)],
          ]}
        />
      }
      form={(errors) =>
        draft && (
          <>
            <FieldGroup id="dates-plan" label="Plan the completion by">
              {() => (
                <div class="lead-choices">
                  {(
                    [
                      ['date', 'An expected completion date'],
                      ['duration', 'An estimated duration from the start'],
                      ['none', 'Not planned'],
                    ] as [Plan, string][]
                  ).map(([plan, label]) => (
                    <label class="lead-choice" key={plan}>
                      <input type="radio" name="dates-plan" checked={draft.plan === plan} onChange={() => setDraft({ ...draft, plan })} />
                      {label}
                    </label>
                  ))}
                </div>
              )}
            </FieldGroup>
            {draft.plan === 'date' && (
              <Field id="dates-expected" label="Expected completion" error={errors['expected_completion']}>
                {(aria) => (
                  <input
                    id="dates-expected"
                    type="datetime-local"
                    value={draft.expected}
                    {...aria}
                    onInput={(e) => setDraft({ ...draft, expected: e.currentTarget.value })}
                  />
                )}
              </Field>
            )}
            {draft.plan === 'duration' && (
              <div class="lead-row">
                <Field id="dates-duration" label="Estimated duration" error={errors['estimated_duration']}>
                  {(aria) => (
                    <input
                      id="dates-duration"
                      type="text"
                      inputMode="numeric"
                      value={draft.value}
                      {...aria}
                      onInput={(e) => setDraft({ ...draft, value: e.currentTarget.value })}
                    />
                  )}
                </Field>
                <Field id="dates-unit" label="Unit">
                  {(aria) => (
                    <select
                      id="dates-unit"
                      value={draft.unit}
                      {...aria}
                      onChange={(e) => setDraft({ ...draft, unit: e.currentTarget.value as DurationUnit })}
                    >
                      {DURATION_UNITS.map((u) => (
                        <option key={u} value={u}>
                          {u}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
            )}
          </>
        )
      }
    />
  );
}
