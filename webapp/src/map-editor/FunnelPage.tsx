// The map funnels for supervisors and admins outside settings: /maps lists the maps,
// /maps/<id> shows one map's funnel (supervisors count their group's leads, admins all).
// Admins also find each funnel under the map's editor in Settings → Lead maps.

import type { JSX } from 'preact';
import type { User } from '../api';
import { NotFoundPage } from '../NotFoundPage';
import { Link } from '../router';
import { useLoad } from '../settings/useLoad';
import { PageHeading } from '../ui/PageHeading';
import { ErrorNotice, Loading } from '../ui/Status';
import { listMaps } from './api';
import { Funnel } from './Funnel';

export const FUNNELS_PATH = '/maps';

function FunnelList(): JSX.Element {
  const { state, reload } = useLoad(listMaps);
  return (
    <section class="panel" aria-labelledby="funnels-title">
      <h2 id="funnels-title">Funnels</h2>
      {state.kind === 'loading' && <Loading label="Loading maps…" />}
      {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={reload} />}
      {state.kind === 'ready' &&
        (state.data.length === 0 ? (
          <p>No maps yet.</p>
        ) : (
          <ul aria-label="Lead maps">
            {state.data.map((map) => (
              <li key={map.id}>
                <Link href={`${FUNNELS_PATH}/${map.id}`}>{map.name}</Link>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

export function FunnelPage({ path, user }: { path: string; user: User }): JSX.Element {
  if (user.role === 'agent') return <NotFoundPage forbidden />;
  const rest = path.slice(FUNNELS_PATH.length).replace(/^\/+|\/+$/g, '');
  if (rest !== '' && !/^[1-9]\d{0,15}$/.test(rest)) return <NotFoundPage />;
  return (
    <>
      <PageHeading>Lead maps</PageHeading>
      {rest === '' ? (
        <FunnelList />
      ) : (
        <>
          <p>
            <Link href={FUNNELS_PATH}>All lead maps</Link>
            {user.role === 'admin' && (
              <>
                {' · '}
                <Link href={`/settings/maps/${rest}`}>Edit this map</Link>
              </>
            )}
          </p>
          <Funnel key={rest} mapId={Number(rest)} showName />
        </>
      )}
    </>
  );
}
