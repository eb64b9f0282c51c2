// /leads/new: the new-lead form. Name, phones, e-mails, address, type, source, status (of
// the new state), the custom fields of the chosen type with their defaults, and products.
// While the user types a phone or an e-mail, leads that already have it are offered as
// possible duplicates. Errors from the API show beside their fields; on success the new
// lead opens. When the server finds leads with the same phone or e-mail (409
// possible_duplicate) the form lists them: the agent opens one, or creates the lead anyway.

import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { navigate } from '../router';
import { PageHeading } from '../ui/PageHeading';
import { ErrorNotice, Loading } from '../ui/Status';
import {
  createLead,
  duplicatesOf,
  messageOf,
  searchLeads,
  type DuplicateCandidate,
  type LeadInput,
  type LeadSummary,
} from './api';
import { CustomFieldInput, toApiValue, toFormValue, type FormValue } from './CustomFieldInput';
import { fullName } from './format';
import { AddressInput, addressDraft, cleanList, ListInput, SelectInput, TextInput, type AddressDraft, type Errors } from './inputs';
import { choices, fieldsForType, statusesOf, useLists, type Lists } from './lists';
import { ProductsInput, type ProductChoice } from './ProductsInput';
import { focusFirstInvalid } from './focus';

export function NewLeadPage(): JSX.Element {
  const [lists, retry] = useLists();
  return (
    <>
      <PageHeading>New lead</PageHeading>
      {lists.kind === 'loading' && <Loading />}
      {lists.kind === 'error' && <ErrorNotice message={lists.message} onRetry={retry} />}
      {lists.kind === 'ready' && <NewLeadForm lists={lists.lists} />}
    </>
  );
}

interface Draft {
  first_name: string;
  last_name: string;
  phones: string[];
  emails: string[];
  address: AddressDraft;
  type_id: number | null;
  source_id: number | null;
  status_id: number | null;
  custom: Record<string, FormValue>;
  products: ProductChoice[];
}

/** Values for the type's fields: what the user already entered, else the field's default. */
function customForType(lists: Lists, typeId: number | null, current: Record<string, FormValue>): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const f of fieldsForType(lists.customFields, typeId)) {
    out[f.key] = current[f.key] ?? toFormValue(f, f.default);
  }
  return out;
}

function NewLeadForm({ lists }: { lists: Lists }): JSX.Element {
  const newStatuses = statusesOf(lists.statuses, 'new');
  const [draft, setDraft] = useState<Draft>(() => ({
    first_name: '',
    last_name: '',
    phones: [''],
    emails: [''],
    address: addressDraft(null),
    type_id: null,
    source_id: null,
    status_id: newStatuses[0]?.id ?? null,
    custom: customForType(lists, null, {}),
    products: [],
  }));
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [found, setFound] = useState<{ items: DuplicateCandidate[]; hidden: number } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const foundRef = useRef<HTMLDivElement>(null);
  const duplicates = useDuplicates(draft.phones, draft.emails);

  const fields = useMemo(() => fieldsForType(lists.customFields, draft.type_id), [lists, draft.type_id]);

  useEffect(() => {
    if (Object.keys(errors).length) focusFirstInvalid(formRef.current);
  }, [errors]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));

  useEffect(() => {
    if (found) foundRef.current?.focus();
  }, [found]);

  const submit = async (allowDuplicate = false): Promise<void> => {
    const body: LeadInput = {
      first_name: draft.first_name.trim(),
      last_name: draft.last_name.trim(),
      phones: cleanList(draft.phones),
      emails: cleanList(draft.emails),
      address: {
        street: draft.address.street.trim(),
        city: draft.address.city.trim(),
        region: draft.address.region.trim(),
        postal_code: draft.address.postal_code.trim(),
        country: draft.address.country.trim(),
      },
      type_id: draft.type_id,
      source_id: draft.source_id,
      status_id: draft.status_id,
      custom: Object.fromEntries(fields.map((f) => [f.key, toApiValue(f, draft.custom[f.key] ?? toFormValue(f, null))])),
      products: draft.products.map((p) => ({ product_id: p.product_id, notes: p.notes.trim() })),
    };
    setSaving(true);
    setMessage(null);
    try {
      const lead = await createLead(body, allowDuplicate);
      navigate(`/leads/${lead.id}`);
    } catch (err) {
      setSaving(false);
      const dups = duplicatesOf(err);
      if (dups) {
        setErrors({});
        setFound(dups);
      } else if (err instanceof ApiError && Object.keys(err.fields).length) {
        setErrors(err.fields);
        setMessage(err.message);
      } else {
        setErrors({});
        setMessage(messageOf(err));
      }
    }
  };

  return (
    <form
      ref={formRef}
      class="lead-form lead-new"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!saving) void submit();
      }}
    >
      {message && (
        <div class="notice notice--error" role="alert">
          <p>{message}</p>
        </div>
      )}

      <section class="panel lead-section" aria-labelledby="new-lead-contact">
        <h2 id="new-lead-contact">Contact</h2>
        <div class="lead-row">
          <TextInput
            id="new-first-name"
            label="First name"
            value={draft.first_name}
            error={errors['first_name']}
            autoComplete="given-name"
            maxLength={100}
            onInput={(v) => set('first_name', v)}
          />
          <TextInput
            id="new-last-name"
            label="Last name"
            value={draft.last_name}
            error={errors['last_name']}
            autoComplete="family-name"
            maxLength={100}
            onInput={(v) => set('last_name', v)}
          />
        </div>
        <p class="lead-help">A lead needs a name and a phone or an e-mail.</p>
        <ListInput
          id="new-phones"
          label="Phone"
          legend="Phones"
          type="tel"
          values={draft.phones}
          error={errors['phones']}
          onChange={(v) => set('phones', v)}
          after={<DuplicateHints leads={duplicates.phone} />}
        />
        <ListInput
          id="new-emails"
          label="E-mail"
          legend="E-mails"
          type="email"
          values={draft.emails}
          error={errors['emails']}
          onChange={(v) => set('emails', v)}
          after={<DuplicateHints leads={duplicates.email} />}
        />
        <AddressInput idPrefix="new-address" value={draft.address} errors={errors} onChange={(v) => set('address', v)} />
      </section>

      <section class="panel lead-section" aria-labelledby="new-lead-info">
        <h2 id="new-lead-info">Lead information</h2>
        <SelectInput
          id="new-type"
          label="Lead type"
          value={draft.type_id}
          items={choices(lists.types, draft.type_id)}
          empty="No type"
          error={errors['type_id']}
          onChange={(v) => setDraft((d) => ({ ...d, type_id: v, custom: customForType(lists, v, d.custom) }))}
        />
        <SelectInput
          id="new-source"
          label="Source"
          value={draft.source_id}
          items={choices(lists.sources, draft.source_id)}
          empty="Not known"
          error={errors['source_id']}
          onChange={(v) => set('source_id', v)}
        />
        <SelectInput
          id="new-status"
          label="Status"
          value={draft.status_id}
          items={newStatuses}
          error={errors['status_id']}
          onChange={(v) => set('status_id', v)}
        />
      </section>

      {fields.length > 0 && (
        <section class="panel lead-section" aria-labelledby="new-lead-custom">
          <h2 id="new-lead-custom">Custom fields</h2>
          {fields.map((f) => (
            <CustomFieldInput
              key={f.key}
              field={f}
              idPrefix="new"
              value={draft.custom[f.key] ?? toFormValue(f, null)}
              error={errors[`custom.${f.key}`]}
              onChange={(v) => setDraft((d) => ({ ...d, custom: { ...d.custom, [f.key]: v } }))}
            />
          ))}
        </section>
      )}

      <section class="panel lead-section" aria-labelledby="new-lead-products">
        <h2 id="new-lead-products">Products</h2>
        <ProductsInput
          id="new-products"
          products={choices(lists.products, null)}
          value={draft.products}
          error={errors['products']}
          onChange={(v) => set('products', v)}
        />
      </section>

      {found && (
        <div class="notice notice--info lead-found" role="region" aria-labelledby="new-lead-found" tabIndex={-1} ref={foundRef}>
          <h2 id="new-lead-found">This lead may exist already</h2>
          <p>
            {found.items.length
              ? 'These leads have the same phone or e-mail. Open one to work on it, or create this lead anyway.'
              : 'Leads you cannot see have the same phone or e-mail.'}
            {found.hidden > 0 && found.items.length > 0 && ` ${found.hidden} more you cannot see also match.`}
          </p>
          <ul class="lead-found-list">
            {found.items.map((c) => (
              <li key={c.id}>
                <a href={`/leads/${c.id}`} onClick={(e) => { e.preventDefault(); navigate(`/leads/${c.id}`); }}>
                  {fullName(c) || `Lead ${c.id}`}
                </a>{' '}
                <span class="lead-found-why">(same {c.matched.map((m) => (m === 'phone' ? 'phone' : 'e-mail')).join(' and ')})</span>
              </li>
            ))}
          </ul>
          <button type="button" class="button button--secondary" disabled={saving} onClick={() => void submit(true)}>
            Create anyway
          </button>
        </div>
      )}

      <div class="lead-form-actions">
        <button type="submit" class="button button--primary" disabled={saving} aria-busy={saving}>
          {saving ? 'Saving…' : 'Create lead'}
        </button>
        <button type="button" class="button button--secondary" onClick={() => history.back()} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/* ---------- duplicate detection ---------- */

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DEBOUNCE_MS = 400;

/** Leads that already have one of the typed phones / e-mails (asked after a pause in typing). */
function useDuplicates(phones: string[], emails: string[]): { phone: LeadSummary[]; email: LeadSummary[] } {
  const phoneKey = cleanList(phones)
    .filter((p) => p.replace(/\D/g, '').length >= 7)
    .join('\n');
  const emailKey = cleanList(emails)
    .map((e) => e.toLowerCase())
    .filter((e) => EMAIL.test(e))
    .join('\n');
  const phone = useMatches(phoneKey, 'phone');
  const email = useMatches(emailKey, 'email');
  return { phone, email };
}

function useMatches(key: string, param: 'phone' | 'email'): LeadSummary[] {
  const [found, setFound] = useState<LeadSummary[]>([]);
  useEffect(() => {
    if (!key) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      Promise.all(key.split('\n').map((v) => searchLeads(new URLSearchParams({ [param]: v }).toString(), 5).then((p) => p.items)))
        .then((pages) => {
          if (!live) return;
          const seen = new Set<number>();
          setFound(pages.flat().filter((l) => !seen.has(l.id) && seen.add(l.id)));
        })
        .catch(() => live && setFound([])); // a hint only: no error for the user
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, param]);
  return found;
}

function DuplicateHints({ leads }: { leads: LeadSummary[] }): JSX.Element {
  return (
    <div class="lead-duplicates" aria-live="polite">
      {leads.map((l) => (
        <p key={l.id} class="lead-duplicate">
          Possible duplicate: {fullName(l)} (
          <a href={`/leads/${l.id}`} target="_blank" rel="noopener">
            open<span class="visually-hidden">{` ${fullName(l)} in a new tab`}</span>
          </a>
          )
        </p>
      ))}
    </div>
  );
}
