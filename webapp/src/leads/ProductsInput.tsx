// Products and services of interest: a checkbox per catalogue product and, for each one
// chosen, a notes box.

import type { JSX } from 'preact';
import type { Product } from './api';
import { FieldGroup } from './Field';

export interface ProductChoice {
  product_id: number;
  notes: string;
}

interface ProductsInputProps {
  id: string;
  products: readonly Product[];
  value: readonly ProductChoice[];
  error?: string | undefined;
  onChange: (value: ProductChoice[]) => void;
}

export function ProductsInput({ id, products, value, error, onChange }: ProductsInputProps): JSX.Element {
  const chosen = (pid: number): ProductChoice | undefined => value.find((c) => c.product_id === pid);
  const toggle = (pid: number, on: boolean): void => {
    if (on) {
      // keep the catalogue's order
      const next = products
        .filter((p) => p.id === pid || chosen(p.id))
        .map((p) => chosen(p.id) ?? { product_id: p.id, notes: '' });
      onChange(next);
    } else {
      onChange(value.filter((c) => c.product_id !== pid));
    }
  };
  const setNotes = (pid: number, notes: string): void =>
    onChange(value.map((c) => (c.product_id === pid ? { ...c, notes } : c)));

  return (
    <FieldGroup id={id} label="Products and services of interest" error={error}>
      {(aria) => (
        <ul class="lead-products-input">
          {products.map((p) => {
            const c = chosen(p.id);
            return (
              <li key={p.id}>
                <label class="lead-choice">
                  <input
                    type="checkbox"
                    checked={c !== undefined}
                    aria-invalid={aria['aria-invalid']}
                    onChange={(e) => toggle(p.id, e.currentTarget.checked)}
                  />
                  {p.name}
                </label>
                {c && (
                  <div class="field lead-field lead-product-notes">
                    <label for={`${id}-notes-${p.id}`}>{`Notes on ${p.name}`}</label>
                    <textarea
                      id={`${id}-notes-${p.id}`}
                      rows={2}
                      maxLength={1000}
                      value={c.notes}
                      onInput={(e) => setNotes(p.id, e.currentTarget.value)}
                    />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </FieldGroup>
  );
}
