/** Where the item stands: the four workflow steps (archived aside), compliance, quality and schedule. */
import type { Schemas } from '../../api/client.ts';
import { CompliancePill } from '../../ui/Pill.tsx';
import { relative, Time } from '../../ui/Time.tsx';

type Status = Schemas['Content']['status'];

const steps: { status: Status; label: string }[] = [
  { status: 'draft', label: 'Draft' },
  { status: 'pending_approval', label: 'In review' },
  { status: 'approved', label: 'Approved' },
  { status: 'published', label: 'Published' },
];

export function Stepper({ status }: { status: Status }) {
  const current = steps.findIndex((s) => s.status === status);
  return (
    <div className="stack">
      <ol className={`stepper${status === 'archived' ? ' stepper-archived' : ''}`} aria-label="Workflow status">
        {steps.map((step, i) => {
          const state = current === -1 ? 'todo' : i < current ? 'done' : i === current ? 'current' : 'todo';
          return (
            <li
              key={step.status}
              className={`step step-${state}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              <span className="step-mark" aria-hidden="true">
                {state === 'done' ? '✓' : i + 1}
              </span>
              <span className="step-label">{step.label}</span>
              <span className="visually-hidden">
                {state === 'done' ? ' (done)' : state === 'current' ? ' (current)' : ''}
              </span>
            </li>
          );
        })}
      </ol>
      {status === 'archived' ? (
        <p className="notice small">Archived: off the workflow and the delivery API. Restore it to work on it again.</p>
      ) : null}
    </div>
  );
}

export function StatusSummary({ item, threshold }: { item: Schemas['Content']; threshold: number | null }) {
  const score = item.qualityScore;
  const below = threshold !== null && (score ?? 0) < threshold;
  return (
    <div className="stack workflow-summary">
      <div className="row">
        <CompliancePill value={item.complianceStatus} />
        <span className={`small ${below ? 'text-danger' : 'muted'}`}>
          Quality {score === null ? 'not scored' : score.toFixed(1)}
          {threshold !== null ? ` (policy needs ${threshold.toFixed(1)})` : ''}
        </span>
      </div>
      {item.complianceNote && item.complianceStatus !== 'approved' ? (
        <p className={item.complianceStatus === 'pending' ? 'notice small' : 'warning small'}>
          <strong>Compliance note:</strong> {item.complianceNote}
        </p>
      ) : null}
      {item.scheduledAt && !item.scheduleError ? (
        <p className="notice small schedule-info">
          <strong>Scheduled</strong> for <Time iso={item.scheduledAt} /> ({relative(item.scheduledAt)}) ·{' '}
          <span className="muted">{new Date(item.scheduledAt).toISOString().replace('.000Z', 'Z')}</span>
        </p>
      ) : null}
      {item.scheduleError ? (
        <div className="warning small" role="alert">
          <strong>Scheduled publication failed</strong>
          {item.scheduledAt ? (
            <>
              {' '}
              (due <Time iso={item.scheduledAt} />)
            </>
          ) : null}
          {item.scheduleFailedAt ? (
            <>
              {' '}
              at <Time iso={item.scheduleFailedAt} />
            </>
          ) : null}
          : {item.scheduleError}. It is not retried: fix the cause, then schedule or publish again.
        </div>
      ) : null}
      {item.status === 'published' || item.publishedVersion ? (
        <p className="small muted">
          Live version {item.publishedVersion ?? '—'}
          {item.publishedAt ? (
            <>
              , first published <Time iso={item.publishedAt} />
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
