import type { ReactNode } from 'react';
import { ErrorBanner, Loading } from './Feedback';

// The dashboard's lists (API keys, webhooks' deliveries, users, invites, login sessions) share one
// shape: loading, a failed load with a retry, "none yet" in words, else a table whose caption and
// actions heading are for screen readers only.
export interface ListTableProps<T> {
  /** Names the table for screen readers (a visually hidden caption). */
  caption: string;
  /** Column headings; `null` for the row actions' column (named "Actions" for screen readers only). */
  columns: readonly (string | null)[];
  items: readonly T[] | undefined;
  loading: boolean;
  error: unknown;
  reload: () => void;
  loadingLabel: string;
  /** Said instead of an empty table; nothing when left out. */
  empty?: ReactNode;
  className?: string;
  /** The rows. */
  children: (items: readonly T[]) => ReactNode;
}

export function ListTable<T>({ caption, columns, items, loading, error, reload, loadingLabel, empty, className, children }: ListTableProps<T>) {
  return (
    <>
      {loading && !items && <Loading label={loadingLabel} />}
      {error != null && <ErrorBanner error={error} retry={reload} />}
      {items && items.length === 0 && empty != null && <p className="muted">{empty}</p>}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table className={className}>
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th scope="col" key={c ?? `actions-${i}`}>
                    {c ?? <span className="visually-hidden">Actions</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children(items)}</tbody>
          </table>
        </div>
      )}
    </>
  );
}
