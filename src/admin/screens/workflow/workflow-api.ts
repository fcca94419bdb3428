/**
 * One call per workflow operation, always naming the version the user saw (If-Match), so an action never
 * lands on text changed since the panel was drawn (412 instead; required for sign-offs, docs/decisions/0028).
 */
import { api, type Schemas, unwrap } from '../../api/client.ts';

export type ComplianceVerdict = 'approved' | 'flagged' | 'rejected';

export type WorkflowRequest =
  | { action: 'submit' | 'approve' | 'publish' | 'unschedule' | 'unpublish' | 'archive' | 'restore'; comment?: string }
  | { action: 'reject'; comment: string }
  | { action: 'schedule'; scheduledAt: string; timeZone: string; comment?: string }
  | { action: 'compliance'; status: ComplianceVerdict; note?: string };

export async function runWorkflow(item: Schemas['Content'], request: WorkflowRequest): Promise<Schemas['Content']> {
  const params = { path: { id: item.id }, header: { 'if-match': `"${item.version}"` } };
  switch (request.action) {
    case 'compliance': {
      const body = { status: request.status, ...(request.note ? { note: request.note } : {}) };
      return unwrap(await api.PUT('/api/v1/content/{id}/compliance', { params, body }));
    }
    case 'reject':
      return unwrap(await api.POST('/api/v1/content/{id}/reject', { params, body: { comment: request.comment } }));
    case 'schedule': {
      const { scheduledAt, timeZone, comment } = request;
      const body = { scheduledAt, timeZone, ...(comment ? { comment } : {}) };
      return unwrap(await api.POST('/api/v1/content/{id}/schedule', { params, body }));
    }
    default: {
      const body = request.comment ? { comment: request.comment } : undefined;
      const options = { params, body };
      switch (request.action) {
        case 'submit':
          return unwrap(await api.POST('/api/v1/content/{id}/submit', options));
        case 'approve':
          return unwrap(await api.POST('/api/v1/content/{id}/approve', options));
        case 'publish':
          return unwrap(await api.POST('/api/v1/content/{id}/publish', options));
        case 'unschedule':
          return unwrap(await api.POST('/api/v1/content/{id}/unschedule', options));
        case 'unpublish':
          return unwrap(await api.POST('/api/v1/content/{id}/unpublish', options));
        case 'archive':
          return unwrap(await api.POST('/api/v1/content/{id}/archive', options));
        case 'restore':
          return unwrap(await api.POST('/api/v1/content/{id}/restore', options));
      }
    }
  }
}
