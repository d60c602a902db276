import type { PagedList } from '../hooks/usePagedList';
import { errorMessage } from './Feedback';

/** "Load more" under a paginated list; says so when the next page failed, and lets the user retry. */
export function LoadMore({ list, what }: { list: Pick<PagedList<never>, 'hasMore' | 'moreError' | 'loadMore' | 'loadingMore'>; what: string }) {
  if (!list.hasMore) return null;
  return (
    <div className="load-more">
      {list.moreError != null && (
        <p className="field-error" role="alert">
          Could not load more {what}: {errorMessage(list.moreError)}
        </p>
      )}
      <button type="button" className="btn" onClick={list.loadMore} disabled={list.loadingMore} aria-busy={list.loadingMore}>
        {list.loadingMore ? 'Loading…' : `Load more ${what}`}
      </button>
    </div>
  );
}
