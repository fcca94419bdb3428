import { pgEnum } from 'drizzle-orm/pg-core';

export const userRoles = ['super_admin', 'org_admin', 'editor', 'approver', 'viewer'] as const;
export const userStatuses = ['active', 'inactive', 'suspended'] as const;
export const contentTypes = ['market_update', 'education', 'news_analysis', 'custom'] as const;
export const contentStatuses = ['draft', 'pending_approval', 'approved', 'published', 'archived'] as const;
export const complianceStatuses = ['pending', 'approved', 'flagged', 'rejected'] as const;

export type UserRole = (typeof userRoles)[number];
export type UserStatus = (typeof userStatuses)[number];
export type ContentType = (typeof contentTypes)[number];
export type ContentStatus = (typeof contentStatuses)[number];
export type ComplianceStatus = (typeof complianceStatuses)[number];

export const userRoleEnum = pgEnum('user_role', userRoles);
export const userStatusEnum = pgEnum('user_status', userStatuses);
export const contentTypeEnum = pgEnum('content_type', contentTypes);
export const contentStatusEnum = pgEnum('content_status', contentStatuses);
export const complianceStatusEnum = pgEnum('compliance_status', complianceStatuses);
