/**
 * An error as the API explained it: the problem's title and detail, field errors, and the request id to quote
 * (with a copy button), plus Retry where trying again can help.
 */
import { ApiError } from '../api/client.ts';
import { Button } from './Button.tsx';
import { CopyButton } from './CopyButton.tsx';

export function ProblemView({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const problem =
    error instanceof ApiError
      ? error.problem
      : {
          title: 'Something went wrong',
          detail: error instanceof Error ? error.message : String(error),
          errors: [],
          requestId: '',
          status: 0,
          code: 'client_error',
        };
  return (
    <div role="alert" className={`problem${compact ? ' problem-compact' : ''}`}>
      <p className="problem-title">
        <strong>{problem.title}</strong>
        {problem.status ? <span className="muted"> ({problem.status})</span> : null}
      </p>
      {problem.detail ? <p className="problem-detail">{problem.detail}</p> : null}
      {problem.errors?.length ? (
        <ul className="problem-fields">
          {problem.errors.map((e) => (
            <li key={`${e.path}:${e.code}`}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="problem-actions">
        {problem.requestId ? (
          <span className="muted small">
            Request id <code>{problem.requestId}</code> <CopyButton value={problem.requestId} label="Copy request id" />
          </span>
        ) : null}
        {onRetry ? <Button onClick={onRetry}>Retry</Button> : null}
      </div>
    </div>
  );
}
