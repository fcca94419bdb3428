/**
 * A secret the API returns once (API key, delivery token, webhook signing secret, recovery codes): shown here with
 * Copy, and the dialog only closes once "I've stored it" is ticked. Afterwards the app shows only its prefix.
 */
import { type ReactNode, useState } from 'react';
import { Button } from '../../ui/Button.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { Dialog } from '../../ui/Dialog.tsx';

export function SecretOnceDialog({
  open,
  title,
  label,
  secret,
  onDone,
  children,
}: {
  open: boolean;
  title: string;
  /** What the secret is, e.g. "API key secret". */
  label: string;
  secret: string;
  onDone: () => void;
  children?: ReactNode;
}) {
  const [stored, setStored] = useState(false);
  const close = () => {
    if (!stored) return;
    setStored(false);
    onDone();
  };
  return (
    <Dialog
      open={open}
      title={title}
      onClose={close}
      footer={
        <Button
          variant="primary"
          onClick={close}
          disabledReason={stored ? null : 'Tick “I’ve stored it” first: the secret cannot be shown again.'}
        >
          Done
        </Button>
      }
    >
      <div className="stack">
        <p className="warning">
          Shown only this once: copy it now and store it somewhere safe. ContentOS keeps only a hash of it and cannot
          show it again.
        </p>
        <div className="secret-box">
          <span className="visually-hidden">{label}: </span>
          <code>{secret}</code>
          <CopyButton value={secret} label={`Copy ${label.toLowerCase()}`} />
        </div>
        {children}
        <label className="checkbox">
          <input type="checkbox" checked={stored} onChange={(event) => setStored(event.target.checked)} />
          I’ve stored it
        </label>
      </div>
    </Dialog>
  );
}
