// The catalogue of products and services a lead can be interested in: name, list price
// (exact decimal, optional) and position. Removing deactivates.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { InputField } from '../ui/FormControls';
import type { Product } from './api';
import { localFailure } from './failure';
import { ListScreen, settingOps, type ItemFormProps } from './ListScreen';
import { nextPosition, parsePosition } from './positions';
import { SettingsForm } from './SettingsForm';

const MONEY = /^\d{1,12}(\.\d{1,2})?$/;

function ProductSummary({ item }: { item: Product }): JSX.Element {
  return (
    <p>
      <span class="settings-item-name">{item.name}</span>{' '}
      <span class="settings-meta">{item.price === null ? 'No list price' : item.price}</span>{' '}
      <span class="muted settings-meta">Position {item.position}</span>
    </p>
  );
}

function ProductForm(props: ItemFormProps<Product, null>): JSX.Element {
  const { item, idPrefix, busy, failure, items, onSubmit, onInvalid, onCancel } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [price, setPrice] = useState(item?.price ?? '');
  const [position, setPosition] = useState(String(item ? item.position : nextPosition(items)));

  const submit = (): void => {
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors['name'] = 'Enter a name.';
    const amount = price.trim().replace(/,/g, '');
    if (amount !== '' && !MONEY.test(amount)) errors['price'] = 'Enter an amount like 1200.00.';
    const pos = parsePosition(position);
    if ('error' in pos) errors['position'] = pos.error;
    const local = localFailure(errors);
    if (local) return onInvalid(local);
    if ('value' in pos) onSubmit({ name: name.trim(), price: amount === '' ? null : amount, position: pos.value });
  };

  return (
    <SettingsForm
      label={item ? `Edit product ${item.name}` : 'Add product'}
      submitLabel={item ? 'Save' : 'Add product'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div class="settings-fields">
        <InputField id={`${idPrefix}-name`} label="Name" value={name} maxLength={120} error={failure?.fields['name']} onInput={setName} />
        <InputField
          id={`${idPrefix}-price`}
          label="List price"
          inputMode="decimal"
          hint="Optional, like 1200.00."
          value={price}
          error={failure?.fields['price']}
          onInput={setPrice}
        />
        <InputField
          id={`${idPrefix}-position`}
          label="Position"
          type="number"
          min={0}
          max={100000}
          step={1}
          inputMode="numeric"
          hint="Lower numbers come first."
          value={position}
          error={failure?.fields['position']}
          onInput={setPosition}
        />
      </div>
    </SettingsForm>
  );
}

export function ProductsScreen(): JSX.Element {
  return (
    <ListScreen<Product, null>
      idBase="products"
      title="Products and services"
      noun="product"
      intro="What a lead can be interested in, with a list price."
      ops={settingOps('products')}
      extra={null}
      removal="deactivate"
      removeNote={() => 'Leads that list it keep it, but it is no longer offered. You can reactivate it later.'}
      nameOf={(item) => item.name}
      fields={['name', 'price', 'position']}
      Summary={ProductSummary}
      Form={ProductForm}
    />
  );
}
