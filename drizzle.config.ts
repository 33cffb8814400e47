import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes SQL migrations for src/store/schema.ts into migrations/.
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/store/schema.ts', './src/store/coaching-schema.ts', './src/store/sync-schema.ts'],
  out: './migrations',
});
