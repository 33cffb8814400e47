import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate --config drizzle.pg.config.ts` writes the PostgreSQL migrations for
// src/store/pg/ into migrations/pg/ (the SQLite ones stay in migrations/, from drizzle.config.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/store/pg/schema.ts',
    './src/store/pg/coaching-schema.ts',
    './src/store/pg/sync-schema.ts',
    './src/store/pg/inbox-schema.ts',
  ],
  out: './migrations/pg',
});
