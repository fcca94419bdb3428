export * from './enums.ts';
export * from './organizations.ts';
export * from './users.ts';
export * from './content.ts';
