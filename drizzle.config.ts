import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes SQL migrations for the schema files below into migrations/.
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/store/schema.ts', './src/store/coaching-schema.ts', './src/store/sync-schema.ts', './src/store/inbox-schema.ts'],
  out: './migrations',
});
