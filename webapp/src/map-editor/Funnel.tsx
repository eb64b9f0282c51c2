// The map's funnel (supervisors and admins): how many leads are in each track now and
// how many have finished it, as a bar chart and as a table of the same numbers (the
// chart is a picture; the table is what a screen reader and a keyboard user read).
// Progression only moves forward, so a track's "finished" is every lead in a later
// track plus those at the end point. Chart.js comes in its own chunk, loaded here only.

import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { messageOf } from '../settings/failure';
import { useLoad } from '../settings/useLoad';
import { ErrorNotice, Loading } from '../ui/Status';
import { getFunnel, type Funnel as FunnelData } from './api';
import type { FunnelRow } from './funnelChart';

export function funnelRows(funnel: FunnelData): FunnelRow[] {
  const rows: FunnelRow[] = [];
  let later = funnel.completed;
  for (let i = funnel.tracks.length - 1; i >= 0; i--) {
    const track = funnel.tracks[i]!;
    rows.unshift({ label: track.name, now: track.leads, finished: later });
    later += track.leads;
  }
  return rows;
}

function Chart({ rows, summary }: { rows: readonly FunnelRow[]; summary: string }): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let remove: (() => void) | null = null;
    let gone = false;
    import('./funnelChart').then(
      (mod) => {
        if (!gone && canvas.current) remove = mod.drawFunnel(canvas.current, rows);
      },
      (err: unknown) => setFailed(messageOf(err)),
    );
    return () => {
      gone = true;
      remove?.();
    };
  }, [rows]);
  if (failed) return <p class="muted">The chart could not be loaded; the table below has the numbers.</p>;
  return (
    <div class="funnel-chart">
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}

/** showName: head the funnel with the map's name (where nothing else on the page names it). */
export function Funnel({ mapId, showName = false }: { mapId: number; showName?: boolean }): JSX.Element {
  const { state, reload } = useLoad(() => getFunnel(mapId));
  const rows = useMemo(() => (state.kind === 'ready' ? funnelRows(state.data) : []), [state]);
  return (
    <section class="panel funnel" aria-labelledby="funnel-title">
      <h2 id="funnel-title">{showName && state.kind === 'ready' ? `Funnel of ${state.data.name}` : 'Funnel'}</h2>
      {state.kind === 'loading' && <Loading label="Loading the funnel…" />}
      {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={reload} />}
      {state.kind === 'ready' && (
        <>
          <p class="muted">
            Leads not archived on this map: {state.data.completed} at the end point
            {state.data.hidden > 0 ? `, ${state.data.hidden} in tracks since hidden` : ''}.
          </p>
          {rows.length > 0 && (
            <Chart
              rows={rows}
              summary={`Bar chart of leads per track: ${rows.map((r) => `${r.label} ${r.now} now, ${r.finished} finished`).join('; ')}.`}
            />
          )}
          <table class="funnel-table">
            <caption>Leads per track</caption>
            <thead>
              <tr>
                <th scope="col">Track</th>
                <th scope="col">In this track now</th>
                <th scope="col">Finished it</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <th scope="row">{r.label}</th>
                  <td>{r.now}</td>
                  <td>{r.finished}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">End point</th>
                <td>{state.data.completed}</td>
                <td>–</td>
              </tr>
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
