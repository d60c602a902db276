import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // The e2e suite loads the worker's config (through its test harness), which imports the backend's
  // TypeScript sources by their `source` export condition, as the worker's own suite does.
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['source', 'node'] } },
  test: {
    name: 'frontend',
    root: import.meta.dirname,
    include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    // The e2e suite needs a fresh migrated database and Redis prefix for the real backend it starts.
    globalSetup: ['../backend/test/global-setup.ts'],
    testTimeout: 15_000,
    hookTimeout: 120_000,
  },
});
