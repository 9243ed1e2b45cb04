import type { JSX } from 'preact';
import { ErrorBox, useAction } from './common';

/**
 * A JSON editor for objects whose shape is the API's to check (sources and routes are the same objects as in
 * hookhub.yaml): the API validates the body and its problem lists each field in error.
 */
export function JsonForm({ id, label, initial, submit, onDone }: { id: string; label: string; initial: unknown; submit: (value: unknown) => Promise<void>; onDone: () => void }): JSX.Element {
  const action = useAction();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const text = String(new FormData(e.currentTarget).get('json') ?? '');
        action.run(async () => {
          await submit(JSON.parse(text) as unknown);
          onDone();
        });
      }}
    >
      <div class="field">
        <label for={id}>{label} (JSON)</label>
        <textarea id={id} name="json" rows={10} class="code" defaultValue={JSON.stringify(initial, null, 2)} />
      </div>
      <button type="submit" class="primary" disabled={action.busy}>
        Save
      </button>
      {action.error !== undefined && <ErrorBox error={action.error} />}
    </form>
  );
}
