import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api';

export interface PagedList<T> {
  /** Items of every page loaded so far (undefined until the first page arrives). */
  items: T[] | undefined;
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  moreError: unknown;
  /** Appends the next page. */
  loadMore: () => void;
  /** Starts again from the first page. */
  reload: () => void;
  /** Fetches again as many pages as are shown, keeping the reader's place (polling, live updates). */
  refresh: () => void;
  setItems: (update: (prev: T[]) => T[]) => void;
}

type Load<T> = (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>;

/** A cursor-paginated list: the first page when `deps` change, more on demand ("Load more"). */
export function usePagedList<T extends { id: string }>(load: Load<T>, deps: readonly unknown[]): PagedList<T> {
  const [items, setItemsState] = useState<T[] | undefined>(undefined);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [pages, setPages] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // Aborted whenever the list starts over, so a late page never lands in a different list.
  const generation = useRef(new AbortController());

  useEffect(() => {
    const controller = new AbortController();
    generation.current = controller;
    setLoading(true);
    setError(undefined);
    setMoreError(undefined);
    setLoadingMore(false);
    loadRef
      .current(null, controller.signal)
      .then((page) => {
        if (controller.signal.aborted) return;
        setItemsState(page.items);
        setNextCursor(page.nextCursor);
        setPages(1);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
    // `deps` are the caller's inputs to `load`; the latest `load` is read through the ref.
  }, [...deps, tick]);

  const busy = useRef(false);
  const loadMore = useCallback(() => {
    if (!nextCursor || busy.current) return;
    const { signal } = generation.current;
    busy.current = true;
    setLoadingMore(true);
    setMoreError(undefined);
    loadRef
      .current(nextCursor, signal)
      .then((page) => {
        if (signal.aborted) return;
        setItemsState((prev) => {
          const seen = new Set((prev ?? []).map((i) => i.id));
          return [...(prev ?? []), ...page.items.filter((i) => !seen.has(i.id))];
        });
        setNextCursor(page.nextCursor);
        setPages((p) => p + 1);
      })
      .catch((e: unknown) => {
        if (!signal.aborted) setMoreError(e);
      })
      .finally(() => {
        busy.current = false;
        if (!signal.aborted) setLoadingMore(false);
      });
  }, [nextCursor]);

  const refresh = useCallback(() => {
    if (busy.current) return;
    const { signal } = generation.current;
    busy.current = true;
    void (async () => {
      const all: T[] = [];
      let cursor: string | null = null;
      let count = 0;
      do {
        const page: Page<T> = await loadRef.current(cursor, signal);
        all.push(...page.items.filter((i) => !all.some((x) => x.id === i.id)));
        cursor = page.nextCursor;
        count++;
      } while (cursor && count < Math.max(1, pages));
      if (signal.aborted) return;
      setItemsState(all);
      setNextCursor(cursor);
      setError(undefined);
    })()
      .catch((e: unknown) => {
        if (!signal.aborted) setError(e);
      })
      .finally(() => {
        busy.current = false;
      });
  }, [pages]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setItems = useCallback((update: (prev: T[]) => T[]) => setItemsState((prev) => (prev ? update(prev) : prev)), []);
  return { items, error, loading, hasMore: nextCursor !== null, loadingMore, moreError, loadMore, reload, refresh, setItems };
}
