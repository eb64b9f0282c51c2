// The map editor: the map's name, its tracks and each track's steps, added, renamed,
// removed and reordered (drag and drop, or by keyboard through each handle), each step
// configured for its type; a preview of what an agent sees; Save sends the whole
// definition with If-Match. A 412 means someone else saved first: the admin reloads. A
// 400 names fields by path (tracks[0].steps[2].options) and each shows beside its control.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { CheckboxField, InputField, SelectField, type Choice } from '../ui/FormControls';
import { saveMap, STEP_TYPES, type MapDefinition, type StepType } from './api';
import { draftOf, localErrors, newStep, newTrack, stepPath, toInput, trackPath, type Draft, type DraftStep, type DraftTrack } from './draft';
import { MapPreview } from './MapPreview';
import { SortableItem, SortableList } from './Sortable';
import { StepEditor } from './StepEditor';

interface MapEditorProps {
  map: MapDefinition;
  etag: string;
  boundFields: readonly Choice[];
  videos: readonly Choice[];
  onSaved: (map: MapDefinition) => void;
  onReload: () => void;
}

interface SaveFailure {
  message: string;
  fields: Readonly<Record<string, string>>;
  stale: boolean;
}

/** Error keys a control of the editor shows; the rest go into the message above Save. */
const PLACED = /^(name|tracks|tracks\[\d+\](\.name|\.steps(\[\d+\].*)?)?)$/;

function TrackEditor(props: {
  track: DraftTrack;
  ti: number;
  fields: Readonly<Record<string, string>>;
  boundFields: readonly Choice[];
  videos: readonly Choice[];
  onChange: (track: DraftTrack) => void;
  onRemove: () => void;
}): JSX.Element {
  const { track, ti, fields, boundFields, videos, onChange, onRemove } = props;
  const [stepName, setStepName] = useState('');
  const [stepType, setStepType] = useState<StepType>('dropdown');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const path = trackPath(ti);
  const title = track.name.trim() === '' ? 'New track' : track.name;
  const setStep = (step: DraftStep): void => onChange({ ...track, steps: track.steps.map((s) => (s.key === step.key ? step : s)) });
  const add = (): void => {
    if (stepName.trim() === '') {
      setNameError('Enter a name for the new step.');
      return;
    }
    setNameError(undefined);
    onChange({ ...track, steps: [...track.steps, newStep(stepType, stepName.trim())] });
    setStepName('');
  };
  return (
    <div class="map-track" role="group" aria-label={`Track ${title}`}>
      <div class="map-track-head">
        <InputField id={`${track.key}-name`} label="Track name" value={track.name} maxLength={120} error={fields[`${path}.name`]} onInput={(name) => onChange({ ...track, name })} />
        <button type="button" class="button button--secondary button--small settings-danger" onClick={onRemove}>
          Remove track {title}
        </button>
      </div>
      {fields[`${path}.steps`] && <p class="field-error">{fields[`${path}.steps`]}</p>}
      {track.steps.length === 0 ? (
        <p class="muted">No steps yet.</p>
      ) : (
        <SortableList
          items={track.steps}
          keyOf={(s) => s.key}
          nameOf={(s) => `step ${s.name}`}
          label={`Steps of ${title}`}
          onReorder={(steps) => onChange({ ...track, steps })}
        >
          {track.steps.map((step, si) => (
            <SortableItem key={step.key} id={step.key} handleLabel={`Move step ${step.name || 'New step'}`}>
              <StepEditor
                step={step}
                path={stepPath(ti, si)}
                fields={fields}
                boundFields={boundFields}
                videos={videos}
                onChange={setStep}
                onRemove={() => onChange({ ...track, steps: track.steps.filter((s) => s.key !== step.key) })}
              />
            </SortableItem>
          ))}
        </SortableList>
      )}
      <div class="map-add-step" role="group" aria-label={`Add a step to ${title}`}>
        <InputField id={`${track.key}-new-step-name`} label="New step name" value={stepName} maxLength={120} error={nameError} onInput={setStepName} />
        <SelectField
          id={`${track.key}-new-step-type`}
          label="New step type"
          value={stepType}
          options={STEP_TYPES}
          onChange={(type) => setStepType(type as StepType)}
        />
        <button type="button" class="button button--secondary button--small" onClick={add}>
          Add step
        </button>
      </div>
    </div>
  );
}

export function MapEditor({ map, etag, boundFields, videos, onSaved, onReload }: MapEditorProps): JSX.Element {
  const [draft, setDraft] = useState<Draft>(() => draftOf(map));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const [saved, setSaved] = useState(false);
  const [trackName, setTrackName] = useState('');
  const ref = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (failure === null) return;
    const invalid = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? ref.current?.querySelector<HTMLElement>('.notice--error'))?.focus();
  }, [failure]);

  const change = (next: Draft): void => {
    setDraft(next);
    setSaved(false);
  };
  const setTrack = (track: DraftTrack): void => change({ ...draft, tracks: draft.tracks.map((t) => (t.key === track.key ? track : t)) });

  const save = async (): Promise<void> => {
    const local = localErrors(draft);
    if (Object.keys(local).length > 0) {
      setFailure({ message: 'Check the highlighted fields.', fields: local, stale: false });
      return;
    }
    setBusy(true);
    setSaved(false);
    try {
      const stored = await saveMap(map.id, etag, toInput(draft));
      setFailure(null);
      setDraft(draftOf(stored));
      setSaved(true);
      onSaved(stored);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        setFailure({ message: 'Someone else changed this map; reload it to see their changes, then make yours again.', fields: {}, stale: true });
      } else if (err instanceof ApiError) {
        const others = Object.entries(err.fields)
          .filter(([k]) => !PLACED.test(k))
          .map(([k, v]) => `${k}: ${v}`);
        setFailure({ message: [err.message, ...others].join(' '), fields: err.fields, stale: false });
      } else {
        setFailure({ message: 'Something went wrong. Try again.', fields: {}, stale: false });
      }
    } finally {
      setBusy(false);
    }
  };

  const fields = failure?.fields ?? {};
  const addTrack = (): void => {
    const name = trackName.trim() === '' ? `Track ${draft.tracks.length + 1}` : trackName.trim();
    change({ ...draft, tracks: [...draft.tracks, newTrack(name)] });
    setTrackName('');
  };

  return (
    <form
      ref={ref}
      class="map-editor"
      aria-label={`Edit map ${map.name}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void save();
      }}
    >
      <div class="settings-fields">
        <InputField id="map-name" label="Map name" value={draft.name} maxLength={120} error={fields['name']} onInput={(name) => change({ ...draft, name })} />
        <CheckboxField
          id="map-active"
          label="Active"
          hint="An inactive map is offered to no new lead; leads on it keep it."
          checked={draft.active}
          onChange={(active) => change({ ...draft, active })}
        />
      </div>

      <h3>Tracks</h3>
      <p class="muted">
        Drag a handle, or focus it and press Space, the arrow keys and Space again, to reorder. Leads keep the values of a track or
        step you remove; a step's type cannot change once saved.
      </p>
      {fields['tracks'] && <p class="field-error">{fields['tracks']}</p>}
      <SortableList
        items={draft.tracks}
        keyOf={(t) => t.key}
        nameOf={(t) => `track ${t.name}`}
        label="Tracks"
        onReorder={(tracks) => change({ ...draft, tracks })}
      >
        {draft.tracks.map((track, ti) => (
          <SortableItem key={track.key} id={track.key} handleLabel={`Move track ${track.name || 'New track'}`} class="sortable-item--track">
            <TrackEditor
              track={track}
              ti={ti}
              fields={fields}
              boundFields={boundFields}
              videos={videos}
              onChange={setTrack}
              onRemove={() => change({ ...draft, tracks: draft.tracks.filter((t) => t.key !== track.key) })}
            />
          </SortableItem>
        ))}
      </SortableList>
      <div class="map-add-track" role="group" aria-label="Add a track">
        <InputField id="map-new-track" label="New track name" value={trackName} maxLength={120} onInput={setTrackName} />
        <button type="button" class="button button--secondary button--small" onClick={addTrack}>
          Add track
        </button>
      </div>

      <MapPreview draft={draft} />

      {failure && (
        <div class="notice notice--error" role="alert" tabIndex={-1}>
          <p>{failure.message}</p>
          {failure.stale && (
            <button type="button" class="button button--secondary" onClick={onReload}>
              Reload the map
            </button>
          )}
        </div>
      )}
      {saved && (
        <p class="notice notice--info" role="status">
          Map saved.
        </p>
      )}
      <div class="settings-buttons">
        <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : 'Save map'}
        </button>
      </div>
    </form>
  );
}
