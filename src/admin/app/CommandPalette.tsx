/**
 * Ctrl/Cmd+K: jump to any screen or start a new item by typing. A listbox in a modal dialog, driven by the
 * arrow keys; Escape closes it and focus returns where it was.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { Dialog } from '../ui/Dialog.tsx';

interface Command {
  label: string;
  to: string;
  show?: boolean;
}

export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const navigate = useNavigate();
  const { can, me } = useSession();
  const base = `/o/${me.organization.slug}`;
  const input = useRef<HTMLInputElement>(null);
  // showModal() focuses the dialog's first control (its Close button), and React's autoFocus sets no autofocus
  // attribute for it to honour: focus the search once the dialog is open (this effect runs after the Dialog's).
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const commands: Command[] = useMemo(
    () =>
      [
        { label: 'Home', to: base },
        { label: 'Content', to: `${base}/content` },
        { label: 'New content', to: `${base}/content/new`, show: can('content.create') },
        {
          label: 'Waiting for my approval',
          to: `${base}/content?status=pending_approval`,
          show: can('content.approve'),
        },
        { label: 'Calendar', to: `${base}/calendar` },
        { label: 'Analytics', to: `${base}/analytics` },
        { label: 'Users and roles', to: `${base}/settings/users`, show: can('users.read') },
        { label: 'API keys', to: `${base}/settings/api-keys`, show: can('api_keys.manage') },
        { label: 'Delivery tokens', to: `${base}/settings/delivery-tokens`, show: can('delivery_tokens.manage') },
        { label: 'Webhooks', to: `${base}/settings/webhooks`, show: can('webhooks.manage') },
        { label: 'Editorial policy', to: `${base}/settings/editorial-policy`, show: can('policy.manage') },
        { label: 'Delivery settings', to: `${base}/settings/delivery-settings`, show: can('delivery_tokens.manage') },
        { label: 'Single sign-on', to: `${base}/settings/sso`, show: can('sso.manage') },
        { label: 'Security policy (MFA)', to: `${base}/settings/security`, show: can('security.manage') },
        { label: 'Audit log', to: `${base}/settings/audit-log`, show: can('audit.read') },
        { label: 'My account', to: `${base}/account` },
      ].filter((c) => c.show !== false),
    [base, can],
  );
  const matches = commands.filter((c) => c.label.toLowerCase().includes(query.trim().toLowerCase()));
  const go = (command: Command | undefined) => {
    if (!command) return;
    setOpen(false);
    setQuery('');
    navigate(command.to);
  };

  return (
    <Dialog open={open} title="Go to" onClose={() => setOpen(false)}>
      <input
        className="palette-input"
        aria-label="Search screens and actions"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={matches[active] ? `palette-${active}` : undefined}
        ref={input}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
          else if (event.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (event.key === 'Enter') go(matches[active]);
          else return;
          event.preventDefault();
        }}
      />
      <div id="palette-list" role="listbox" className="palette-list" aria-label="Screens and actions">
        {matches.map((c, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keys
          <div
            key={c.to}
            id={`palette-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            className={i === active ? 'palette-option active' : 'palette-option'}
            onClick={() => go(c)}
          >
            {c.label}
          </div>
        ))}
        {matches.length === 0 ? <p className="muted">Nothing matches “{query}”.</p> : null}
      </div>
    </Dialog>
  );
}
