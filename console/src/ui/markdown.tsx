import type { JSX } from 'preact';
import { diffLines } from 'diff';
import DOMPurify from 'dompurify';
import { marked } from 'marked';

/** Agent-written Markdown, rendered and then sanitised: documents may carry text from any webhook sender. */
export function Markdown({ text }: { text: string }): JSX.Element {
  const html = DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true }), { FORBID_ATTR: ['style'] });
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** A line diff between two versions of a text. */
export function Diff({ before, after }: { before: string; after: string }): JSX.Element {
  const parts = diffLines(before, after);
  return (
    <pre class="diff" role="region" aria-label="Differences" tabIndex={0}>
      {parts.map((p, i) => (
        <span key={i} class={p.added ? 'add' : p.removed ? 'del' : 'same'}>
          {p.value
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => `${p.added ? '+ ' : p.removed ? '- ' : '  '}${line}\n`)
            .join('')}
        </span>
      ))}
    </pre>
  );
}
