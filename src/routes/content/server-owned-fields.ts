import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';

export const refuseContentServerOwnedFields = refuseServerOwnedFields([
  'id',
  'organizationId',
  'creatorId',
  'status',
  'qualityScore',
  'qualityBreakdown',
  'complianceStatus',
  'complianceNote',
  'publishedAt',
  'publishedVersion',
  'scheduledVersion',
  'scheduleError',
  'scheduleFailedAt',
  'engagementStats',
  'version',
  'createdAt',
  'updatedAt',
]);
