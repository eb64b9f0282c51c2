// /leads/import: the CSV import wizard. 1. Choose a file (UTF-8, comma or semicolon); the
// server reads it and suggests which column fills which field. 2. Check the mapping (or
// take a saved one, or save this one) and whether to skip duplicates, then check every
// row: the report lists the rows with errors and the rows that match an existing lead
// (or an earlier row). 3. Import: the worker imports in batches while a progress bar
// follows; at the end, what was imported and what was skipped.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link } from '../router';
import { PageHeading } from '../ui/PageHeading';
import { ErrorNotice, Loading } from '../ui/Status';
import { messageOf } from './api';
import {
  commitImport,
  dryRun,
  getImport,
  listMappings,
  saveMapping,
  uploadCsv,
  type DryRun,
  type ImportMapping,
  type ImportState,
  type RowError,
  type SavedMapping,
  type Upload,
} from './imports-api';
import { useLists, type Lists } from './lists';

const POLL_MS = 500;

const SYSTEM_FIELDS: readonly [string, string][] = [
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['phone', 'Phone'],
  ['email', 'E-mail'],
  ['street', 'Street'],
  ['city', 'City'],
  ['region', 'Region'],
  ['postal_code', 'Postal code'],
  ['country', 'Country'],
  ['probability', 'Probability'],
  ['target_amount', 'Target amount'],
];

type Step =
  | { kind: 'file' }
  | { kind: 'map'; upload: Upload }
  | { kind: 'report'; upload: Upload; report: DryRun }
  | { kind: 'running'; upload: Upload; state: ImportState };

export function ImportPage(): JSX.Element {
  const [lists, retry] = useLists();
  return (
    <div class="lead-import">
      <p class="lead-back">
        <Link href="/leads">
          <span class="visually-hidden">Back to </span>Leads
        </Link>
      </p>
      <PageHeading>Import leads</PageHeading>
      {lists.kind === 'loading' && <Loading />}
      {lists.kind === 'error' && <ErrorNotice message={lists.message} onRetry={retry} />}
      {lists.kind === 'ready' && <Wizard lists={lists.lists} />}
    </div>
  );
}

function fieldLabel(lists: Lists, key: string): string {
  const sys = SYSTEM_FIELDS.find(([k]) => k === key);
  if (sys) return sys[1];
  if (key === 'phones') return 'Phone';
  if (key === 'emails') return 'E-mail';
  if (key.startsWith('custom.')) return lists.customFields.find((f) => `custom.${f.key}` === key)?.label ?? key;
  if (key.startsWith('address.')) return fieldLabel(lists, key.slice(8));
  if (key === 'row') return 'Row';
  return key;
}

function Wizard({ lists }: { lists: Lists }): JSX.Element {
  const [step, setStep] = useState<Step>({ kind: 'file' });
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [skip, setSkip] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [saved, setSaved] = useState<SavedMapping[]>([]);
  const fileRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    listMappings().then(
      (r) => setSaved(r.items),
      () => setSaved([]),
    );
  }, []);

  useEffect(() => {
    headingRef.current?.focus();
  }, [step.kind]);

  // While the worker imports: poll the progress until it is done.
  useEffect(() => {
    if (step.kind !== 'running' || step.state.status === 'done' || step.state.status === 'failed') return;
    const timer = setTimeout(() => {
      getImport(step.state.id).then(
        (state) => setStep({ ...step, state }),
        (err: unknown) => setError({ message: messageOf(err), fields: {} }),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [step]);

  const fail = (err: unknown): void => {
    const fields = (err as { fields?: Record<string, string> }).fields ?? {};
    setError({ message: messageOf(err), fields: { ...fields } });
    setBusy(false);
  };

  const upload = async (): Promise<void> => {
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError({ message: 'Choose a CSV file first.', fields: {} });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const up = await uploadCsv(file.name, await file.text());
      setMapping(up.suggested_mapping);
      setStep({ kind: 'map', upload: up });
      setBusy(false);
    } catch (err) {
      fail(err);
    }
  };

  const check = async (up: Upload): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const report = await dryRun(up.id, mapping, skip);
      setStep({ kind: 'report', upload: up, report });
      setBusy(false);
    } catch (err) {
      fail(err);
    }
  };

  const commit = async (up: Upload): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const state = await commitImport(up.id, mapping, skip);
      setStep({ kind: 'running', upload: up, state });
      setBusy(false);
    } catch (err) {
      fail(err);
    }
  };

  return (
    <>
      {error && (
        <div role="alert" class="notice notice--error">
          <p>{error.message}</p>
          {Object.entries(error.fields).map(([k, v]) => (
            <p key={k}>{`${k === 'file' ? 'File' : k}: ${v}`}</p>
          ))}
        </div>
      )}

      {step.kind === 'file' && (
        <section class="panel" aria-labelledby="import-file">
          <h2 id="import-file" tabIndex={-1} ref={headingRef}>
            1. Choose a file
          </h2>
          <p>A CSV file saved as UTF-8, with a header line; columns separated by commas or semicolons.</p>
          <label for="import-file-input">CSV file</label>
          <input id="import-file-input" type="file" accept=".csv,text/csv" ref={fileRef} />
          <div class="lead-form-actions">
            <button type="button" class="button button--primary" disabled={busy} aria-busy={busy} onClick={() => void upload()}>
              {busy ? 'Reading…' : 'Upload'}
            </button>
          </div>
        </section>
      )}

      {step.kind === 'map' && (
        <section class="panel" aria-labelledby="import-map">
          <h2 id="import-map" tabIndex={-1} ref={headingRef}>
            2. Which column fills which field?
          </h2>
          <p>
            {step.upload.file_name || 'The file'}: {step.upload.total_rows} rows.
          </p>
          {saved.length > 0 && (
            <p>
              <label for="import-saved">Use a saved mapping</label>{' '}
              <select
                id="import-saved"
                value=""
                onChange={(e) => {
                  const m = saved.find((s) => String(s.id) === e.currentTarget.value);
                  if (m) setMapping(Object.fromEntries(step.upload.columns.map((c) => [c, m.mapping[c] ?? null])));
                }}
              >
                <option value="">Choose…</option>
                {saved.map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name}
                  </option>
                ))}
              </select>
            </p>
          )}
          <table class="import-map">
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">First value</th>
                <th scope="col">Field</th>
              </tr>
            </thead>
            <tbody>
              {step.upload.columns.map((c, i) => (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  <td>{step.upload.preview[0]?.[i] ?? ''}</td>
                  <td>
                    <label class="visually-hidden" for={`import-col-${i}`}>{`Field for column ${c}`}</label>
                    <select
                      id={`import-col-${i}`}
                      value={mapping[c] ?? ''}
                      onChange={(e) => setMapping((m) => ({ ...m, [c]: e.currentTarget.value || null }))}
                    >
                      <option value="">Leave out</option>
                      {SYSTEM_FIELDS.map(([k, label]) => (
                        <option key={k} value={k}>
                          {label}
                        </option>
                      ))}
                      {lists.customFields
                        .filter((f) => f.active)
                        .map((f) => (
                          <option key={f.key} value={`custom.${f.key}`}>
                            {f.label}
                          </option>
                        ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <label>
              <input type="checkbox" checked={skip} onChange={(e) => setSkip(e.currentTarget.checked)} /> Skip rows that match an existing lead
              (same phone or e-mail)
            </label>
          </p>
          <SaveMapping mapping={mapping} onSaved={(m) => setSaved((list) => [...list.filter((s) => s.name !== m.name), m])} />
          <div class="lead-form-actions">
            <button type="button" class="button button--primary" disabled={busy} aria-busy={busy} onClick={() => void check(step.upload)}>
              {busy ? 'Checking…' : 'Check the rows'}
            </button>
          </div>
        </section>
      )}

      {step.kind === 'report' && (
        <section class="panel" aria-labelledby="import-report">
          <h2 id="import-report" tabIndex={-1} ref={headingRef}>
            3. Check before importing
          </h2>
          <p role="status">
            {step.report.importable_rows} of {step.report.total_rows} rows will be imported. {step.report.error_rows} with errors
            {step.report.skip_duplicates ? ` and ${step.report.duplicate_rows} duplicates will be skipped.` : ' will be skipped.'}
          </p>
          <RowErrors errors={step.report.errors} lists={lists} />
          {step.report.duplicates.length > 0 && (
            <>
              <h3>Possible duplicates</h3>
              <ul class="import-duplicates">
                {step.report.duplicates.map((d) => (
                  <li key={d.row}>
                    Row {d.row}:{' '}
                    {d.same_as_row ? `same phone or e-mail as row ${d.same_as_row}` : 'same phone or e-mail as '}
                    {d.leads.map((id, k) => (
                      <span key={id}>
                        {k > 0 && ', '}
                        <a href={`/leads/${id}`} target="_blank" rel="noopener">
                          lead {id}
                        </a>
                      </span>
                    ))}
                    {d.hidden > 0 && ` ${d.hidden} lead(s) you cannot see`}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div class="lead-form-actions">
            <button type="button" class="button button--primary" disabled={busy || step.report.importable_rows === 0} onClick={() => void commit(step.upload)}>
              {`Import ${step.report.importable_rows} rows`}
            </button>
            <button type="button" class="button button--secondary" disabled={busy} onClick={() => setStep({ kind: 'map', upload: step.upload })}>
              Change the mapping
            </button>
          </div>
        </section>
      )}

      {step.kind === 'running' && (
        <section class="panel" aria-labelledby="import-run">
          <h2 id="import-run" tabIndex={-1} ref={headingRef}>
            {step.state.status === 'done' ? 'Import finished' : step.state.status === 'failed' ? 'Import failed' : '4. Importing…'}
          </h2>
          <label for="import-progress">
            {step.state.processed_rows} of {step.state.total_rows} rows
          </label>
          <progress id="import-progress" max={100} value={step.state.progress}>
            {step.state.progress} %
          </progress>
          {step.state.status === 'done' && (
            <>
              <p role="status">
                Imported {step.state.imported_rows} leads. Skipped {step.state.error_rows} rows with errors and {step.state.duplicate_rows}{' '}
                duplicates.
              </p>
              <RowErrors errors={step.state.errors ?? []} lists={lists} />
              <p>
                <Link href="/leads">Go to the leads</Link>
              </p>
            </>
          )}
        </section>
      )}
    </>
  );
}

function RowErrors({ errors, lists }: { errors: RowError[]; lists: Lists }): JSX.Element | null {
  if (errors.length === 0) return null;
  return (
    <>
      <h3>Rows with errors</h3>
      <ul class="import-errors">
        {errors.map((e) => (
          <li key={e.row}>
            Row {e.row}:{' '}
            {Object.entries(e.fields)
              .map(([k, v]) => `${fieldLabel(lists, k)}: ${v}`)
              .join(' ')}
          </li>
        ))}
      </ul>
    </>
  );
}

function SaveMapping({ mapping, onSaved }: { mapping: ImportMapping; onSaved: (m: SavedMapping) => void }): JSX.Element {
  const [name, setName] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const save = async (): Promise<void> => {
    if (!name.trim()) return;
    try {
      const m = await saveMapping(name.trim(), mapping);
      onSaved(m);
      setNote(`Saved as “${m.name}”.`);
    } catch (err) {
      setNote(messageOf(err));
    }
  };
  return (
    <p class="import-save">
      <label for="import-save-name">Save this mapping as</label>{' '}
      <input id="import-save-name" type="text" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />{' '}
      <button type="button" class="button button--secondary" onClick={() => void save()}>
        Save mapping
      </button>
      {note && <span role="status"> {note}</span>}
    </p>
  );
}
