// Settings → Map videos: the library that video steps link to (title, URL, description).
// Removing deactivates (a step may still show the video); the shared settings list frame
// does the rest.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { localFailure } from '../settings/failure';
import { ListScreen, type ItemFormProps, type ListOps } from '../settings/ListScreen';
import { SettingsForm } from '../settings/SettingsForm';
import { InputField, TextAreaField } from '../ui/FormControls';
import { createVideo, listVideos, updateVideo, type Video, type VideoInput } from './api';

const OPS: ListOps<Video> = {
  load: listVideos,
  save: (item, body) => (item === null ? createVideo(body as VideoInput) : updateVideo(item.id, body as VideoInput)),
  remove: async (item) => {
    await updateVideo(item.id, { active: false });
  },
  reactivate: (item) => updateVideo(item.id, { active: true }),
};

function VideoSummary({ item }: { item: Video }): JSX.Element {
  return (
    <p>
      <span class="settings-item-name">{item.title}</span> <span class="settings-meta">{item.url}</span>
      {item.description && (
        <>
          {' '}
          <span class="muted settings-meta">{item.description}</span>
        </>
      )}
    </p>
  );
}

function VideoForm(props: ItemFormProps<Video, null>): JSX.Element {
  const { item, idPrefix, busy, failure, onSubmit, onInvalid, onCancel } = props;
  const [title, setTitle] = useState(item?.title ?? '');
  const [url, setUrl] = useState(item?.url ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  const submit = (): void => {
    const errors: Record<string, string> = {};
    if (title.trim() === '') errors['title'] = 'Enter a title.';
    if (!/^https?:\/\/\S+$/.test(url.trim())) errors['url'] = 'Enter an address starting with https:// or http://.';
    const local = localFailure(errors);
    if (local) return onInvalid(local);
    onSubmit({ title: title.trim(), url: url.trim(), description: description.trim() === '' ? null : description.trim() });
  };
  return (
    <SettingsForm
      label={item ? `Edit video ${item.title}` : 'Add video'}
      submitLabel={item ? 'Save' : 'Add video'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div class="settings-fields">
        <InputField id={`${idPrefix}-title`} label="Title" value={title} maxLength={200} error={failure?.fields['title']} onInput={setTitle} />
        <InputField id={`${idPrefix}-url`} label="Address (URL)" value={url} maxLength={1000} error={failure?.fields['url']} onInput={setUrl} />
        <TextAreaField
          id={`${idPrefix}-description`}
          label="Description"
          value={description}
          maxLength={2000}
          error={failure?.fields['description']}
          onInput={setDescription}
        />
      </div>
    </SettingsForm>
  );
}

export function VideosScreen(): JSX.Element {
  return (
    <ListScreen<Video, null>
      idBase="map-videos"
      title="Map videos"
      noun="video"
      intro="The videos that video steps of a lead map link to."
      ops={OPS}
      extra={null}
      removal="deactivate"
      removeNote={() => 'Steps that show it keep it, but it is no longer offered for new steps. You can reactivate it later.'}
      nameOf={(item) => item.title}
      fields={['title', 'url', 'description']}
      Summary={VideoSummary}
      Form={VideoForm}
    />
  );
}
