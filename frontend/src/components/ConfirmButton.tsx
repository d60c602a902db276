import { useEffect, useRef, useState } from 'react';

interface Props {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  danger?: boolean;
  disabled?: boolean;
}

/** A button that asks for an inline confirmation before a destructive action. */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, danger = false, disabled }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={openerRef}
        type="button"
        className={`btn ${danger ? 'btn-danger' : ''}`}
        onClick={() => setAsking(true)}
        disabled={disabled}
      >
        {label}
      </button>
    );
  }
  const cancel = () => setAsking(false);
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key === 'Escape') cancel();
      }}
    >
      <p>{question}</p>
      <button
        ref={confirmRef}
        type="button"
        className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {busy ? 'Working…' : confirmLabel}
      </button>
      <button type="button" className="btn" onClick={cancel} disabled={busy}>
        Cancel
      </button>
    </div>
  );
}
