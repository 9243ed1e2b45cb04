import { useEffect, useState } from 'preact/hooks';

/** The console routes on the URL's hash (`#/events/abc?source=github`), so the server serves one page. */
export interface Route {
  /** Path segments, e.g. ['events', 'abc']. */
  segments: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = raw.split('?', 2);
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** A link target: `href('events', {source: 'github'})` → `#/events?source=github` (empty values dropped). */
export function href(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const search = params.toString();
  return `#/${path}${search ? `?${search}` : ''}`;
}

export function navigate(target: string): void {
  window.location.hash = target.replace(/^#/, '');
}
