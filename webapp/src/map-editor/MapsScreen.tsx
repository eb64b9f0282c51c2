// Settings → Lead maps: the list of maps with a form to create one (/settings/maps), and
// a map's page (/settings/maps/<id>) with its editor and its funnel.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { loadLists } from '../leads/lists';
import { Link, navigate } from '../router';
import { failureOf, localFailure, messageOf, type Failure } from '../settings/failure';
import { SettingsForm } from '../settings/SettingsForm';
import { useLoad } from '../settings/useLoad';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { InputField, type Choice } from '../ui/FormControls';
import { ErrorNotice, Loading } from '../ui/Status';
import { createMap, deleteMap, getMap, listMaps, listVideos, SYSTEM_FIELDS, type MapDefinition } from './api';
import { Funnel } from './Funnel';
import { MapEditor } from './MapEditor';
import { RulesSection } from './RulesSection';

export const MAPS_PATH = '/settings/maps';

function CreateMap({ onCancel }: { onCancel: () => void }): JSX.Element {
  const [name, setName] = useState('');
  const [track, setTrack] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const submit = async (): Promise<void> => {
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors['name'] = 'Enter a name.';
    if (track.trim() === '') errors['tracks[0].name'] = 'Name the first track.';
    const local = localFailure(errors);
    if (local) return setFailure(local);
    setBusy(true);
    try {
      const map = await createMap({ name: name.trim(), active: true, tracks: [{ name: track.trim(), steps: [] }] });
      navigate(`${MAPS_PATH}/${map.id}`);
    } catch (err) {
      setFailure(failureOf(err, ['name', 'tracks[0].name']));
      setBusy(false);
    }
  };
  return (
    <SettingsForm label="Create map" submitLabel="Create map" busy={busy} failure={failure} onSubmit={() => void submit()} onCancel={onCancel}>
      <div class="settings-fields">
        <InputField id="new-map-name" label="Name" value={name} maxLength={120} error={failure?.fields['name']} onInput={setName} />
        <InputField
          id="new-map-track"
          label="First track"
          hint="Add more tracks and the steps in the editor."
          value={track}
          maxLength={120}
          error={failure?.fields['tracks[0].name']}
          onInput={setTrack}
        />
      </div>
    </SettingsForm>
  );
}

function MapList(): JSX.Element {
  const { state, reload } = useLoad(listMaps);
  const [creating, setCreating] = useState(false);
  return (
    <section class="panel settings-section" aria-labelledby="maps-title">
      <div class="settings-section-head">
        <h2 id="maps-title">Lead maps</h2>
        {!creating && (
          <button type="button" class="button button--primary button--small" onClick={() => setCreating(true)}>
            Create map
          </button>
        )}
      </div>
      <p class="muted">
        Each service's journey: tracks of steps that agents walk a lead through. Videos for video steps are in the{' '}
        <Link href="/settings/map-videos">video library</Link>.
      </p>
      {creating && <CreateMap onCancel={() => setCreating(false)} />}
      {state.kind === 'loading' && <Loading label="Loading maps…" />}
      {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={reload} />}
      {state.kind === 'ready' &&
        (state.data.length === 0 ? (
          <p>No maps yet.</p>
        ) : (
          <ul class="settings-items" aria-label="Lead maps">
            {state.data.map((map) => (
              <li key={map.id} class="settings-item">
                <p>
                  <Link href={`${MAPS_PATH}/${map.id}`}>{map.name}</Link>{' '}
                  <span class="muted settings-meta">
                    {map.tracks.length} {map.tracks.length === 1 ? 'track' : 'tracks'},{' '}
                    {map.tracks.reduce((n, t) => n + t.steps.length, 0)} steps{map.active ? '' : ', inactive'}
                  </span>
                </p>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

interface MapPageData {
  map: MapDefinition;
  etag: string;
  boundFields: Choice[];
  videos: Choice[];
}

async function loadMapPage(id: number): Promise<MapPageData> {
  const [{ map, etag }, videos, lists] = await Promise.all([getMap(id), listVideos(), loadLists()]);
  const custom = lists.customFields
    .filter((f) => f.active)
    .map((f) => ({ value: `custom.${f.key}`, label: `${f.label} (custom field)` }));
  return {
    map,
    etag,
    boundFields: [...SYSTEM_FIELDS, ...custom],
    videos: videos.filter((v) => v.active || map.tracks.some((t) => t.steps.some((s) => s.video_id === v.id))).map((v) => ({ value: String(v.id), label: v.title })),
  };
}

/** Deleting is for a map no lead has been on; the server answers 409 otherwise. */
function DeleteMap({ map }: { map: MapDefinition }): JSX.Element {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await deleteMap(map.id);
      navigate(MAPS_PATH);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="button button--secondary settings-danger" onClick={() => setOpen(true)}>
        Delete map
      </button>
      <ConfirmDialog
        open={open}
        title={`Delete map “${map.name}”?`}
        confirmLabel="Delete"
        busy={busy}
        error={error}
        onConfirm={() => void confirm()}
        onCancel={() => {
          setOpen(false);
          setError(null);
        }}
      >
        <p>Only a map that no lead has ever been on can be deleted; its assignment rules go with it. Otherwise, untick Active and save.</p>
      </ConfirmDialog>
    </>
  );
}

function MapPage({ id }: { id: number }): JSX.Element {
  const { state, reload, update } = useLoad(() => loadMapPage(id));
  // A new editor after a reload (412): it starts from the map as stored now.
  const [generation, setGeneration] = useState(0);
  return (
    <>
      <p>
        <Link href={MAPS_PATH}>All lead maps</Link>
      </p>
      <section class="panel settings-section" aria-labelledby="map-title">
        <h2 id="map-title">{state.kind === 'ready' ? `Map ${state.data.map.name}` : 'Map'}</h2>
        {state.kind === 'loading' && <Loading label="Loading the map…" />}
        {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={reload} />}
        {state.kind === 'ready' && (
          <MapEditor
            key={generation}
            map={state.data.map}
            etag={state.data.etag}
            boundFields={state.data.boundFields}
            videos={state.data.videos}
            onSaved={(map) => update((data) => ({ ...data, map, etag: `"v${map.version}"` }))}
            onReload={() => {
              setGeneration((n) => n + 1);
              reload();
            }}
          />
        )}
      </section>
      {state.kind === 'ready' && <Funnel key={state.data.map.version} mapId={id} />}
      {state.kind === 'ready' && <DeleteMap map={state.data.map} />}
    </>
  );
}

/** path: the full path under /settings/maps. */
export function MapsScreen({ path }: { path: string }): JSX.Element {
  const rest = path.slice(MAPS_PATH.length).replace(/^\/+|\/+$/g, '');
  if (rest === '')
    return (
      <>
        <MapList />
        <RulesSection />
      </>
    );
  if (/^[1-9]\d{0,15}$/.test(rest)) return <MapPage key={rest} id={Number(rest)} />;
  return (
    <section class="panel" aria-labelledby="map-unknown">
      <h2 id="map-unknown">No such map</h2>
      <p>
        Go back to the <Link href={MAPS_PATH}>lead maps</Link>.
      </p>
    </section>
  );
}
