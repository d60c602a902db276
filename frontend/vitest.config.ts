import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
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
