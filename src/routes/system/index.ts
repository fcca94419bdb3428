import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerListDeadLetters } from './list-dead-letters.ts';
import { registerReplayDeadLetter } from './replay-dead-letter.ts';

/** Platform operations (super_admin): the queue's dead letters. */
export function registerSystemRoutes(app: OpenAPIHono<AppEnv>) {
  registerListDeadLetters(app);
  registerReplayDeadLetter(app);
}
