import { defineConfig } from 'vitest/config';

// One `npm test` runs every project: each workspace brings its own vitest.config.ts;
// the deployment files (OME config, compose, Kubernetes) are checked by the inline project.
export default defineConfig({
  test: {
    projects: [
      'backend/vitest.config.ts',
      'vod-uploader/vitest.config.ts',
      'frontend/vitest.config.ts',
      {
        test: {
          name: 'deploy',
          include: ['ome-config/**/*.test.ts', 'docker/**/*.test.ts', 'k8s/**/*.test.ts', 'test/deploy/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
