import { useId, type InputHTMLAttributes } from 'react';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  error?: string | undefined;
  hint?: string;
  multiline?: boolean;
  value: string;
  onValueChange: (value: string) => void;
}

/** A labelled input whose error message sits right under it and is tied to it for screen readers. */
export function TextField({ label, error, hint, multiline, value, onValueChange, ...rest }: Props) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea
          {...common}
          rows={3}
          name={rest.name}
          maxLength={rest.maxLength}
          onChange={(e) => onValueChange(e.target.value)}
        />
      ) : (
        <input type="text" {...rest} {...common} onChange={(e) => onValueChange(e.target.value)} />
      )}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
