import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';

export const refuseContentServerOwnedFields = refuseServerOwnedFields([
  'id', 'organizationId', 'creatorId', 'status', 'qualityScore', 'complianceStatus', 'publishedAt', 'engagementStats', 'version', 'createdAt', 'updatedAt',
]);
