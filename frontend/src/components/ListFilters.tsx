import { useState, type FormEvent } from 'react';

export interface ListFilter<S extends string> {
  q: string;
  status: S | '';
}

/** Name/title search (applied on submit) and a status filter (applied on change) above a list. */
export function ListFilters<S extends string>({
  label, statuses, value, onChange,
}: {
  label: string;
  statuses: readonly { value: S; label: string }[];
  value: ListFilter<S>;
  onChange: (next: ListFilter<S>) => void;
}) {
  const [q, setQ] = useState(value.q);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange({ ...value, q: q.trim() });
  };
  return (
    <form className="list-filters" role="search" aria-label={`Search ${label}`} onSubmit={submit}>
      <label>
        Search
        <input type="search" value={q} maxLength={100} onChange={(e) => setQ(e.target.value)} placeholder={`Search ${label}`} />
      </label>
      <label>
        Status
        <select value={value.status} onChange={(e) => onChange({ ...value, q: q.trim(), status: e.target.value as S | '' })}>
          <option value="">Any status</option>
          {statuses.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn-small">
        Search
      </button>
    </form>
  );
}
