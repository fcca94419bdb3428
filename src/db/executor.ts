import type { Database } from './client.ts';

/** A database handle or an open transaction: repository helpers accept either. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;
