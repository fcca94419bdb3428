/**
 * Form pieces the settings sections share: the API's field errors (problem+json `errors`, paths such as
 * `body.email`) shown on the field they name, with aria-invalid and aria-describedby so a screen reader hears them.
 */
import { type ReactNode, useId } from 'react';
import { ApiError } from '../../api/client.ts';

/** `body.mfa.maxAgeSeconds` → `mfa.maxAgeSeconds`; what a form looks its fields up by. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors ?? []) {
    const key = e.path.replace(/^(body|query|path)\./, '');
    out[key] = out[key] ? `${out[key]}; ${e.message}` : e.message;
  }
  return out;
}

/** The first error whose path is `name` or lies under it (`prohibitedPhrases.3` for `prohibitedPhrases`). */
export function errorFor(errors: Record<string, string>, name: string): string | undefined {
  if (errors[name]) return errors[name];
  const nested = Object.entries(errors).find(([key]) => key.startsWith(`${name}.`));
  return nested ? `${nested[0]}: ${nested[1]}` : undefined;
}

export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled control with its hint and its error; `children` gets the props that tie them together. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        <span className="field-label">{label}</span>
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={errorId} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A page of a list as the API pages it. */
export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

/** The API's error for a 403/404 we should not retry; everything else is worth a Retry. */
export const retryable = (error: unknown) => !(error instanceof ApiError) || error.status >= 500 || error.status === 0;
