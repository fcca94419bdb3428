export * from './enums.ts';
export * from './organizations.ts';
export * from './users.ts';
export * from './content.ts';
export * from './api-keys.ts';
export * from './audit-log.ts';
export * from './idempotency-keys.ts';
