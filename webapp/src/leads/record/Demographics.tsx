// Demographics: name, phones, e-mails, address.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { LeadInput } from '../api';
import { AddressInput, addressDraft, cleanList, ListInput, TextInput, type AddressDraft } from '../inputs';
import { useLead } from './context';
import { EditableSection, Facts } from './Section';

interface Draft {
  first_name: string;
  last_name: string;
  phones: string[];
  emails: string[];
  address: AddressDraft;
}

const KEYS = /^(first_name|last_name|phones|emails|address(\..*)?)$/;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function Demographics(): JSX.Element {
  const { lead } = useLead();
  const [draft, setDraft] = useState<Draft | null>(null);
  const a = lead.address;
  const cityLine = [a.city, [a.region, a.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const addressLines = [a.street, cityLine, a.country].filter(Boolean);

  const patch = (): LeadInput | null => {
    if (!draft) return null;
    const p: LeadInput = {};
    if (draft.first_name.trim() !== lead.first_name || draft.last_name.trim() !== lead.last_name) {
      p.first_name = draft.first_name.trim();
      p.last_name = draft.last_name.trim();
    }
    const phones = cleanList(draft.phones);
    if (!sameList(phones, lead.phones)) p.phones = phones;
    const emails = cleanList(draft.emails);
    if (!sameList(emails, lead.emails)) p.emails = emails;
    const before = addressDraft(lead.address);
    const after: AddressDraft = {
      street: draft.address.street.trim(),
      city: draft.address.city.trim(),
      region: draft.address.region.trim(),
      postal_code: draft.address.postal_code.trim(),
      country: draft.address.country.trim(),
    };
    if ((Object.keys(after) as (keyof AddressDraft)[]).some((k) => after[k] !== before[k])) p.address = after;
    return Object.keys(p).length ? p : null;
  };

  return (
    <EditableSection
      id="lead-demographics"
      title="Demographics"
      handles={(key) => KEYS.test(key)}
      onOpen={() =>
        setDraft({
          first_name: lead.first_name,
          last_name: lead.last_name,
          phones: lead.phones.length ? [...lead.phones] : [''],
          emails: lead.emails.length ? [...lead.emails] : [''],
          address: addressDraft(lead.address),
        })
      }
      patch={patch}
      view={
        <Facts
          items={[
            ['First name', lead.first_name],
            ['Last name', lead.last_name],
            [
              'Phones',
              lead.phones.length > 0 && (
                <ul class="lead-plain-list">
                  {lead.phones.map((p) => (
                    <li key={p}>
                      <a href={`tel:${p.replace(/[^\d+]/g, '')}`}>{p}</a>
                    </li>
                  ))}
                </ul>
              ),
            ],
            [
              'E-mails',
              lead.emails.length > 0 && (
                <ul class="lead-plain-list">
                  {lead.emails.map((e) => (
                    <li key={e}>
                      <a href={`mailto:${e}`}>{e}</a>
                    </li>
                  ))}
                </ul>
              ),
            ],
            [
              'Address',
              addressLines.length > 0 && (
                <address class="lead-address">
                  {addressLines.map((line) => (
                    <span key={line}>{line}</span>
                  ))}
                </address>
              ),
            ],
          ]}
        />
      }
      form={(errors) =>
        draft && (
          <>
            <div class="lead-row">
              <TextInput
                id="demo-first-name"
                label="First name"
                value={draft.first_name}
                error={errors['first_name']}
                maxLength={100}
                onInput={(v) => setDraft({ ...draft, first_name: v })}
              />
              <TextInput
                id="demo-last-name"
                label="Last name"
                value={draft.last_name}
                error={errors['last_name']}
                maxLength={100}
                onInput={(v) => setDraft({ ...draft, last_name: v })}
              />
            </div>
            <ListInput
              id="demo-phones"
              label="Phone"
              legend="Phones"
              type="tel"
              values={draft.phones}
              error={errors['phones']}
              onChange={(v) => setDraft({ ...draft, phones: v })}
            />
            <ListInput
              id="demo-emails"
              label="E-mail"
              legend="E-mails"
              type="email"
              values={draft.emails}
              error={errors['emails']}
              onChange={(v) => setDraft({ ...draft, emails: v })}
            />
            <AddressInput
              idPrefix="demo-address"
              value={draft.address}
              errors={errors}
              onChange={(v) => setDraft({ ...draft, address: v })}
            />
          </>
        )
      }
    />
  );
}
