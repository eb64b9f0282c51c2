// What an agent sees of the map on a lead's page, in outline: each track in order with
// its steps, the control each step shows and whether it is required. Follows the draft,
// so it changes as the admin edits, before saving.

import type { JSX } from 'preact';
import { STEP_TYPES } from './api';
import type { Draft } from './draft';

export function MapPreview({ draft }: { draft: Draft }): JSX.Element {
  return (
    <section class="map-preview" aria-labelledby="map-preview-title">
      <h3 id="map-preview-title">Preview: the agent's view</h3>
      <ol class="map-preview-tracks">
        {draft.tracks.map((track) => (
          <li key={track.key}>
            <p class="map-preview-track">{track.name || 'New track'}</p>
            {track.steps.length === 0 ? (
              <p class="muted">No steps.</p>
            ) : (
              <ul class="map-preview-steps">
                {track.steps.map((step) => (
                  <li key={step.key}>
                    {step.name || 'New step'}: {STEP_TYPES.find((t) => t.value === step.type)?.control ?? step.type}
                    {step.required ? ' (required)' : ' (optional)'}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
        <li>
          <p class="map-preview-track">End point</p>
        </li>
      </ol>
    </section>
  );
}
