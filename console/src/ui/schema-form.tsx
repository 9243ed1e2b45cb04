import type { JSX } from 'preact';

/** The subset of JSON Schema a run form is generated from; anything richer is edited as JSON. */
export interface FormSchema {
  type?: string | string[];
  properties?: Record<string, FormSchema>;
  required?: string[];
  enum?: unknown[];
  description?: string;
  title?: string;
  default?: unknown;
}

type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'json';

function kindOf(s: FormSchema): Kind {
  if (s.enum) return 'enum';
  const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t) => t !== 'null');
  const t = types.length === 1 ? types[0] : undefined;
  return t === 'string' || t === 'integer' || t === 'number' || t === 'boolean' ? t : 'json';
}

/** Form fields for the top-level properties of an object schema; names are prefixed `p.` in the form. */
export function SchemaFields({ schema }: { schema: FormSchema }): JSX.Element {
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, prop]) => {
        const id = `param-${name}`;
        const kind = kindOf(prop);
        const label = `${prop.title ?? name}${required.has(name) ? ' *' : ''}`;
        const hint = prop.description ? <small>{prop.description}</small> : null;
        if (kind === 'boolean') {
          return (
            <div class="field check" key={name}>
              <input id={id} name={`p.${name}`} type="checkbox" defaultChecked={prop.default === true} />
              <label for={id}>{label}</label>
              {hint}
            </div>
          );
        }
        return (
          <div class="field" key={name}>
            <label for={id}>{label}</label>
            {kind === 'enum' ? (
              <select id={id} name={`p.${name}`} required={required.has(name)}>
                {!required.has(name) && <option value="">—</option>}
                {(prop.enum ?? []).map((v) => (
                  <option key={String(v)} value={JSON.stringify(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
            ) : kind === 'json' ? (
              <textarea id={id} name={`p.${name}`} rows={3} placeholder="JSON" required={required.has(name)} />
            ) : (
              <input id={id} name={`p.${name}`} type={kind === 'string' ? 'text' : 'number'} step={kind === 'integer' ? 1 : 'any'} required={required.has(name)} />
            )}
            {hint}
          </div>
        );
      })}
    </>
  );
}

/** Reads the generated fields back into parameters (typed by the schema; empty optional fields left out). */
export function readParameters(schema: FormSchema, form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const kind = kindOf(prop);
    if (kind === 'boolean') {
      out[name] = form.get(`p.${name}`) === 'on';
      continue;
    }
    const raw = String(form.get(`p.${name}`) ?? '');
    if (raw === '') continue;
    if (kind === 'string') out[name] = raw;
    else if (kind === 'integer' || kind === 'number') out[name] = Number(raw);
    else {
      try {
        out[name] = JSON.parse(raw) as unknown;
      } catch {
        throw new Error(`${name}: not valid JSON`);
      }
    }
  }
  return out;
}
