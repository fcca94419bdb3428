/**
 * A button that can say why it is disabled. A disabled action stays focusable (aria-disabled, not `disabled`),
 * so keyboard and screen-reader users reach it and hear the reason, shown as a tooltip on hover and focus.
 */
import { type ButtonHTMLAttributes, type MouseEvent, useId } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  /** Set when the action is not available: the button is inert and this is its explanation. */
  disabledReason?: string | null;
  busy?: boolean;
  /** A keyboard shortcut shown in the tooltip, e.g. "Ctrl+S". */
  shortcut?: string;
}

export function Button({
  variant = 'secondary',
  disabledReason,
  busy,
  shortcut,
  className,
  onClick,
  children,
  type = 'button',
  ...rest
}: ButtonProps) {
  const tipId = useId();
  const inert = Boolean(disabledReason) || busy || rest.disabled;
  const tip = disabledReason ?? (shortcut ? shortcut : undefined);
  const handle = (event: MouseEvent<HTMLButtonElement>) => {
    if (inert) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  };
  return (
    <span className="btn-wrap">
      <button
        {...rest}
        type={type}
        disabled={rest.disabled}
        className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
        aria-disabled={inert || undefined}
        aria-busy={busy || undefined}
        aria-describedby={tip ? tipId : undefined}
        onClick={handle}
      >
        {busy ? <span className="spinner" aria-hidden="true" /> : null}
        {children}
      </button>
      {tip ? (
        <span role="tooltip" id={tipId} className={`tooltip${disabledReason ? ' tooltip-reason' : ''}`}>
          {tip}
        </span>
      ) : null}
    </span>
  );
}
