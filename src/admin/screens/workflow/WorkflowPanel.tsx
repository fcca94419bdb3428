/**
 * The item's workflow in the editor's sidebar: stepper, actions (submit, approve, reject, compliance, publish,
 * schedule, unschedule, unpublish, archive, restore), each disabled with its reason. Placeholder until built.
 */
import type { Schemas } from '../../api/client.ts';

export interface WorkflowPanelProps {
  content: Schemas['Content'];
  /** Called with the item as the API returned it after an action, so the editor shows the new state. */
  onChanged: (content: Schemas['Content']) => void;
  /** True while the editor holds unsaved changes: actions then ask to save first. */
  dirty: boolean;
}

export function WorkflowPanel({ content }: WorkflowPanelProps) {
  return <p className="muted">Status: {content.status}</p>;
}
