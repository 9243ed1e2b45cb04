import type { JSX } from 'preact';
import { href, navigate } from '../router';
import { isoToLocal, localToIso } from './common';

export interface FilterField {
  name: string;
  label: string;
  type?: 'text' | 'datetime' | 'select';
  options?: string[];
}

/**
 * Filters live in the URL (`#/events?source=github`), so a filtered list can be linked to and reloaded.
 * Datetime fields are entered in the browser's zone and sent as UTC.
 */
export function Filters({ page, fields, query }: { page: string; fields: FilterField[]; query: URLSearchParams }): JSX.Element {
  return (
    <form
      class="filters"
      role="search"
      aria-label={`Filter ${page}`}
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const values: Record<string, string | undefined> = {};
        for (const f of fields) {
          const raw = String(form.get(f.name) ?? '').trim();
          values[f.name] = f.type === 'datetime' ? localToIso(raw) : raw;
        }
        navigate(href(page, values));
      }}
    >
      {fields.map((f) => {
        const id = `filter-${page}-${f.name}`;
        const current = query.get(f.name) ?? '';
        return (
          <div class="field" key={`${f.name}:${current}`}>
            <label for={id}>{f.label}</label>
            {f.type === 'select' ? (
              <select id={id} name={f.name} defaultValue={current}>
                <option value="">any</option>
                {(f.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input id={id} name={f.name} type={f.type === 'datetime' ? 'datetime-local' : 'text'} defaultValue={f.type === 'datetime' ? isoToLocal(current) : current} />
            )}
          </div>
        );
      })}
      <button type="submit">Apply</button>
      <a class="button" href={href(page)}>
        Clear
      </a>
    </form>
  );
}

/** The URL's filter values to pass to the API (absent ones dropped). */
export function pick(query: URLSearchParams, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = query.get(n);
    if (v) out[n] = v;
  }
  return out;
}
