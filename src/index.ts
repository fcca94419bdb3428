import { createApp } from './app.ts';
import type { Bindings } from './config.ts';
import { handleQueue } from '../workers/queue.ts';
import { handleScheduled } from '../workers/scheduled.ts';

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Bindings>;
