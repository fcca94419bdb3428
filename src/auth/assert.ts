import { DomainError } from '../lib/errors.ts';
import type { Actor } from './principal.ts';
import { can, type Action } from './permissions.ts';

/** Services check again what routes already guarded: a service may be called from elsewhere (queue, cron). */
export function assertCan(actor: Actor, action: Action): void {
  if (actor.type === 'system' || can(actor.permissions, action)) return;
  // Otherwise a key would be told its own role may not do what that role's row plainly allows.
  const message =
    actor.type === 'api_key' && can(actor.role, action)
      ? `This API key's creator may no longer perform ${action}, so the key may not either.`
      : `The ${actor.role} role may not perform ${action}.`;
  throw new DomainError('forbidden', message, { code: 'forbidden' });
}
