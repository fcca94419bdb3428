import { defineConfig } from 'drizzle-kit';

// Generation only needs the schema; migrations are applied by scripts/db-migrate.ts through the Neon driver.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
  strict: true,
  verbose: true,
});
