import { DomainError } from '../lib/errors.ts';
import type { Actor } from './principal.ts';
import { can, type Action } from './permissions.ts';

/** Services check again what routes already guarded: a service may be called from elsewhere (queue, cron). */
export function assertCan(actor: Actor, action: Action): void {
  if (actor.type === 'system') return;
  if (!can(actor.role, action)) {
    throw new DomainError('forbidden', `The ${actor.role} role may not perform ${action}.`, { code: 'forbidden' });
  }
}
