import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change (and on reload); a newer run's answer wins over an older one. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  useEffect(() => {
    const mine = ++run.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === run.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => mine === run.current && setState({ data: undefined, error, loading: false }),
    );
    // `load` is a new closure each render; callers list its inputs in `deps` instead.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface PagedState<T> extends AsyncState<T[]> {
  more: (() => void) | undefined;
  loadingMore: boolean;
}

/** A cursor-paged list: the first page on `deps` change, then "load more" appends the next page. */
export function usePaged<T>(loadPage: (cursor: string | undefined) => Promise<Page<T>>, deps: unknown[]): PagedState<T> {
  const [extra, setExtra] = useState<{ items: T[]; cursor: string | null | undefined }>({ items: [], cursor: undefined });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const first = useAsync(async () => {
    const page = await loadPage(undefined);
    setExtra({ items: [], cursor: page.nextCursor });
    setMoreError(undefined);
    return page.items;
  }, deps);
  const cursor = extra.cursor;
  const more =
    cursor && !loadingMore
      ? () => {
          setLoadingMore(true);
          loadPage(cursor).then(
            (page) => {
              setExtra((e) => ({ items: [...e.items, ...page.items], cursor: page.nextCursor }));
              setLoadingMore(false);
            },
            (err: unknown) => {
              setMoreError(err);
              setLoadingMore(false);
            },
          );
        }
      : undefined;
  return { ...first, data: first.data ? [...first.data, ...extra.items] : undefined, error: first.error ?? moreError, more, loadingMore };
}

/** Calls `tick` every `ms` while `active`, e.g. to follow an execution or a replay until it ends. */
export function useInterval(tick: () => void, ms: number, active: boolean): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (!active) return undefined;
    const id = window.setInterval(() => saved.current(), ms);
    return () => window.clearInterval(id);
  }, [ms, active]);
}
