// Products and services of interest, each with notes.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { LeadInput } from '../api';
import { choices } from '../lists';
import { ProductsInput, type ProductChoice } from '../ProductsInput';
import { useLead } from './context';
import { EditableSection } from './Section';

export function Products(): JSX.Element {
  const { lead, lists } = useLead();
  const [draft, setDraft] = useState<ProductChoice[]>([]);

  const patch = (): LeadInput | null => {
    const next = draft.map((c) => ({ product_id: c.product_id, notes: c.notes.trim() }));
    const same =
      next.length === lead.products.length &&
      next.every((c) => lead.products.some((p) => p.product_id === c.product_id && (p.notes ?? '') === c.notes));
    return same ? null : { products: next };
  };

  // The catalogue's active products, plus any the lead has that were since deactivated.
  const catalogue = lists.products.filter((p) => p.active || lead.products.some((lp) => lp.product_id === p.id));

  return (
    <EditableSection
      id="lead-products"
      title="Products"
      handles={(key) => key === 'products'}
      onOpen={() => setDraft(lead.products.map((p) => ({ product_id: p.product_id, notes: p.notes ?? '' })))}
      patch={patch}
      view={
        lead.products.length === 0 ? (
          <p class="muted">No products chosen.</p>
        ) : (
          <ul class="lead-item-list">
            {lead.products.map((p) => (
              <li key={p.product_id}>
                <strong>{p.name}</strong>
                {p.notes && <p class="lead-item-notes">{p.notes}</p>}
              </li>
            ))}
          </ul>
        )
      }
      form={(errors) => (
        <ProductsInput
          id="products-edit"
          products={choices(catalogue, null)}
          value={draft}
          error={errors['products']}
          onChange={setDraft}
        />
      )}
    />
  );
}
