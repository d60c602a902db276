import { useId, useState } from 'react';
import { CopyButton } from './CopyButton';

interface Props {
  label: string;
  value: string;
  /** Hidden by default; the viewer reveals it on purpose (screen sharing while streaming is common). */
  secret?: boolean;
  hint?: string;
}

/** A read-only value with a copy button; secret values (stream keys) are masked until revealed. */
export function SecretField({ label, value, secret = false, hint }: Props) {
  const id = useId();
  const [shown, setShown] = useState(!secret);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="field-row">
        <input
          id={id}
          className="mono"
          type={shown ? 'text' : 'password'}
          value={value}
          readOnly
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={hint ? `${id}-hint` : undefined}
        />
        {secret && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setShown((s) => !s)}
            aria-pressed={shown}
            aria-label={`${shown ? 'Hide' : 'Show'} ${label}`}
          >
            {shown ? 'Hide' : 'Show'}
          </button>
        )}
        <CopyButton value={value} label={label} />
      </div>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** The stream key: always hidden by default. */
export function StreamKeyField({ value }: { value: string }) {
  return <SecretField label="Stream Key" value={value} secret hint="Anyone with this key can broadcast as you." />;
}
