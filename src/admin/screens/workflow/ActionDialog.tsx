/**
 * The confirm for a workflow action: what will happen, in words, and the comment that becomes the version
 * message (required to reject). Compliance takes a verdict and a note; schedule takes a date, time and zone.
 */
import { type ReactNode, useState } from 'react';
import type { Schemas } from '../../api/client.ts';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { formatDateTime } from '../../ui/Time.tsx';
import { browserTimeZone } from '../../ui/Time.tsx';
import { ScheduleFields, type ScheduleValue, scheduleProblem } from './ScheduleFields.tsx';
import type { ComplianceVerdict, WorkflowRequest } from './workflow-api.ts';
import type { WorkflowAction } from './workflow-rules.ts';
import { defaultLocal, resolveLocal } from './zoned-time.ts';

interface Props {
  action: WorkflowAction;
  item: Schemas['Content'];
  busy: boolean;
  onRun: (request: WorkflowRequest, done: string) => void;
  onCancel: () => void;
}

const MAX = 2000;

function copy(action: WorkflowAction, item: Schemas['Content']): { title: string; confirm: string; text: ReactNode } {
  const v = item.version;
  switch (action) {
    case 'submit':
      return {
        title: 'Submit for review',
        confirm: 'Submit',
        text: `Version ${v} goes to the approvers' queue. Someone other than its authors must approve it.`,
      };
    case 'approve':
      return {
        title: 'Approve',
        confirm: 'Approve',
        text: `You sign off version ${v} as it stands now. It can then be published or scheduled; any later edit sends it back to draft.`,
      };
    case 'reject':
      return {
        title: 'Reject',
        confirm: 'Reject',
        text: 'The item goes back to draft with your note, which its author sees in the history.',
      };
    case 'publish':
      return {
        title: 'Publish now',
        confirm: 'Publish now',
        text:
          `Version ${v} goes live on the delivery API at once, replacing any live version, and webhooks are ` +
          `sent.${item.scheduledAt ? ' The schedule is cleared.' : ''}`,
      };
    case 'unschedule':
      return {
        title: 'Unschedule',
        confirm: 'Unschedule',
        text: `The publication planned for ${item.scheduledAt ? formatDateTime(item.scheduledAt) : 'later'} is cancelled. The item stays approved.`,
      };
    case 'unpublish':
      return {
        title: 'Unpublish',
        confirm: 'Unpublish',
        text: 'Readers stop seeing it on the delivery API at once and webhooks are sent. It stays approved and can be published again.',
      };
    case 'archive':
      return {
        title: 'Archive',
        confirm: 'Archive',
        text:
          `The item leaves the workflow${item.status === 'published' ? ' and the delivery API at once' : ''}` +
          `${item.scheduledAt ? '; its schedule is cleared' : ''}. ` +
          'Restoring it later makes it a draft that needs approval again.',
      };
    case 'restore':
      return {
        title: 'Restore from archive',
        confirm: 'Restore',
        text: 'The item comes back as a draft. It needs review and approval before it can be published.',
      };
    default:
      return { title: action, confirm: action, text: '' };
  }
}

export function ActionDialog(props: Props) {
  if (props.action === 'compliance') return <ComplianceDialog {...props} />;
  if (props.action === 'schedule') return <ScheduleDialog {...props} />;
  return <CommentDialog {...props} />;
}

function CommentField({
  value,
  onChange,
  required,
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  required?: boolean;
  label: string;
}) {
  return (
    <label className="field">
      <span>
        {label} {required ? null : <span className="hint">(optional)</span>}
      </span>
      <textarea rows={3} maxLength={MAX} required={required} value={value} onChange={(e) => onChange(e.target.value)} />
      <span className="hint">Kept with the new version and in the audit log.</span>
    </label>
  );
}

function CommentDialog({ action, item, busy, onRun, onCancel }: Props) {
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const { title, confirm, text } = copy(action, item);
  const required = action === 'reject';
  const missing = required && !comment.trim();
  return (
    <ConfirmDialog
      open
      title={title}
      consequence={text}
      confirmLabel={confirm}
      danger={action === 'reject' || action === 'unpublish' || action === 'archive'}
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => {
        setTried(true);
        if (missing) return;
        const trimmed = comment.trim() || undefined;
        const request = (
          action === 'reject' ? { action, comment: comment.trim() } : { action, comment: trimmed }
        ) as WorkflowRequest;
        onRun(request, `${title}: done`);
      }}
    >
      <CommentField
        label={required ? 'What must change' : 'Comment'}
        required={required}
        value={comment}
        onChange={setComment}
      />
      {tried && missing ? (
        <p className="field-error">A note is required to reject: tell the author what to change.</p>
      ) : null}
    </ConfirmDialog>
  );
}

const verdicts: { value: ComplianceVerdict; label: string; hint: string }[] = [
  { value: 'approved', label: 'Approve', hint: 'The text meets the rules; the compliance gate is met.' },
  {
    value: 'flagged',
    label: 'Flag',
    hint: 'Needs changes; approval and publication are blocked until reviewed again.',
  },
  { value: 'rejected', label: 'Reject', hint: 'Not acceptable; approval and publication are blocked.' },
];

function ComplianceDialog({ item, busy, onRun, onCancel }: Props) {
  const [status, setStatus] = useState<ComplianceVerdict>('approved');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const missing = status !== 'approved' && !note.trim();
  return (
    <ConfirmDialog
      open
      title="Review compliance"
      consequence={
        `Your verdict applies to version ${item.version} as it stands; any later edit resets compliance to ` +
        'pending. The workflow status does not change.'
      }
      confirmLabel="Record verdict"
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => {
        setTried(true);
        if (missing) return;
        onRun({ action: 'compliance', status, note: note.trim() || undefined }, 'Compliance verdict recorded');
      }}
    >
      {item.complianceNote ? (
        <p className="notice small">
          <strong>Current note:</strong> {item.complianceNote}
        </p>
      ) : null}
      <fieldset className="verdicts">
        <legend>Verdict</legend>
        {verdicts.map((v) => (
          <label key={v.value} className="verdict">
            <input
              type="radio"
              name="compliance-verdict"
              value={v.value}
              checked={status === v.value}
              onChange={() => setStatus(v.value)}
            />
            <span>
              <strong>{v.label}</strong> <span className="muted small">{v.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Note {status === 'approved' ? <span className="hint">(optional)</span> : null}</span>
        <textarea rows={3} maxLength={MAX} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {tried && missing ? (
        <p className="field-error">A note is required to flag or reject: say what is wrong.</p>
      ) : null}
    </ConfirmDialog>
  );
}

function ScheduleDialog({ item, busy, onRun, onCancel }: Props) {
  const [value, setValue] = useState<ScheduleValue>(() => {
    const zone = browserTimeZone;
    return { ...defaultLocal(zone), timeZone: zone };
  });
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const result = resolveLocal(value.date, value.time, value.timeZone);
  const problem = scheduleProblem(result);
  return (
    <ConfirmDialog
      open
      title={item.scheduledAt ? 'Reschedule publication' : 'Schedule publication'}
      consequence={
        `Version ${item.version} will be published at the time below if it is still unchanged and approved ` +
        'and still passes the approval gates then; otherwise the publication fails and is flagged.' +
        (item.scheduledAt ? ' This replaces the current schedule.' : '')
      }
      confirmLabel="Schedule"
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => {
        setTried(true);
        if (problem) return;
        onRun(
          {
            action: 'schedule',
            scheduledAt: `${value.date}T${value.time}:00`,
            timeZone: value.timeZone,
            comment: comment.trim() || undefined,
          },
          'Scheduled',
        );
      }}
    >
      <ScheduleFields value={value} onChange={setValue} />
      <CommentField label="Comment" value={comment} onChange={setComment} />
      {tried && problem ? <p className="field-error">{problem}</p> : null}
    </ConfirmDialog>
  );
}
