/**
 * The item's workflow in the editor's sidebar: where it stands (stepper, compliance, quality against the
 * policy, schedule), every action with the reason when it is unavailable, and the workflow history.
 * Rules: docs/decisions/0013 (workflow), 0015 (scheduling), 0028 (sign-offs name their version).
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, api, type Schemas, unwrap } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { ActionDialog } from './ActionDialog.tsx';
import { StatusSummary, Stepper } from './Stepper.tsx';
import { WorkflowHistory } from './WorkflowHistory.tsx';
import { runWorkflow, type WorkflowRequest } from './workflow-api.ts';
import { authoredSinceApproval, disabledReason, nextAction, type WorkflowAction } from './workflow-rules.ts';
import './workflow.css';

export interface WorkflowPanelProps {
  content: Schemas['Content'];
  /** Called with the item as the API returned it after an action, so the editor shows the new state. */
  onChanged: (content: Schemas['Content']) => void;
  /** True while the editor holds unsaved changes: actions then ask to save first. */
  dirty: boolean;
}

const groups: {
  label: string;
  actions: { action: WorkflowAction; label: string; variant?: 'primary' | 'danger' }[];
}[] = [
  {
    label: 'Review',
    actions: [
      { action: 'submit', label: 'Submit for review', variant: 'primary' },
      { action: 'approve', label: 'Approve', variant: 'primary' },
      { action: 'reject', label: 'Reject' },
      { action: 'compliance', label: 'Review compliance' },
    ],
  },
  {
    label: 'Publishing',
    actions: [
      { action: 'publish', label: 'Publish now', variant: 'primary' },
      { action: 'schedule', label: 'Schedule' },
      { action: 'unschedule', label: 'Unschedule' },
      { action: 'unpublish', label: 'Unpublish' },
    ],
  },
  {
    label: 'Lifecycle',
    actions: [
      { action: 'archive', label: 'Archive' },
      { action: 'restore', label: 'Restore from archive' },
    ],
  },
];

export function WorkflowPanel({ content, onChanged, dirty }: WorkflowPanelProps) {
  const session = useSession();
  const { org } = useParams();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState<WorkflowAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const policy = useQuery({
    queryKey: ['editorial-policy', org],
    staleTime: 60_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/editorial-policy')),
  });
  const versions = useQuery({
    queryKey: ['versions', content.id, 'recent', content.version],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/content/{id}/versions', {
          params: { path: { id: content.id }, query: { limit: 100 } },
        }),
      ),
  });

  const threshold = policy.data?.approvalThreshold ?? null;
  const authoredVersion = authoredSinceApproval(versions.data?.data ?? [], session.userId);
  const reason = (action: WorkflowAction) =>
    disabledReason(action, {
      item: content,
      can: session.can,
      userId: session.userId,
      dirty,
      threshold,
      authoredVersion,
    });

  // A role with no workflow action at all (viewer) gets one sentence, not ten disabled buttons.
  const readOnly = !(
    ['content.update', 'content.update_own', 'content.approve', 'content.publish', 'content.archive'] as const
  ).some((action) => session.can(action));

  const run = async (request: WorkflowRequest, done: string) => {
    setBusy(true);
    setError(null);
    try {
      const item = await runWorkflow(content, request);
      setOpen(null);
      onChanged(item);
      toast(done);
      void queryClient.invalidateQueries({ queryKey: ['versions', content.id] });
      void queryClient.invalidateQueries({ queryKey: ['schedule'] });
    } catch (e) {
      setOpen(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const reload = async () => {
    setError(null);
    try {
      onChanged(unwrap(await api.GET('/api/v1/content/{id}', { params: { path: { id: content.id } } })));
    } catch (e) {
      setError(e);
    }
  };

  return (
    // The editor's sidebar card gives the heading ("Workflow"); the panel is its body.
    <div className="workflow-panel stack">
      <Stepper status={content.status} />
      <StatusSummary item={content} threshold={threshold} />
      <NextStep status={content.status} reason={reason(nextAction(content.status))} />
      {error ? (
        <div className="stack">
          <ProblemView error={error} compact />
          {/* The item moved on (412) or changed status (409) since it was drawn: show what it is now. */}
          {error instanceof ApiError && (error.status === 412 || error.status === 409) ? (
            <Button className="btn-small" onClick={reload}>
              Reload the item
            </Button>
          ) : null}
        </div>
      ) : null}
      {readOnly ? (
        <p className="muted small">Your role can read this item but not move it through the workflow.</p>
      ) : null}
      {groups.map((group) =>
        readOnly ? null : (
          <fieldset key={group.label} className="workflow-group">
            <legend className="workflow-group-label">{group.label}</legend>
            <div className="row">
              {group.actions.map(({ action, label, variant }) => (
                <Button
                  key={action}
                  variant={reason(action) ? 'secondary' : (variant ?? 'secondary')}
                  className="btn-small"
                  disabledReason={reason(action)}
                  onClick={() => {
                    setError(null);
                    setOpen(action);
                  }}
                >
                  {label}
                </Button>
              ))}
            </div>
          </fieldset>
        ),
      )}
      {open ? (
        <ActionDialog action={open} item={content} busy={busy} onRun={run} onCancel={() => setOpen(null)} />
      ) : null}
      <WorkflowHistory itemId={content.id} org={org ?? ''} versions={versions} />
    </div>
  );
}

const nextLabels: Record<WorkflowAction, string> = {
  submit: 'submit for review',
  approve: 'approval',
  reject: 'rejection',
  compliance: 'compliance review',
  publish: 'publication',
  schedule: 'scheduling',
  unschedule: 'unscheduling',
  unpublish: 'nothing (live)',
  archive: 'archiving',
  restore: 'restore',
};

/** What the item waits for and, if it is blocked for this user, why: visible without hovering. */
function NextStep({ status, reason }: { status: Schemas['Content']['status']; reason: string | null }) {
  if (status === 'published') return null;
  const next = nextLabels[nextAction(status)];
  return (
    <p className="small next-step">
      <strong>Next: {next}.</strong> {reason ? <span className="muted">{reason}</span> : 'You can do this now.'}
    </p>
  );
}
