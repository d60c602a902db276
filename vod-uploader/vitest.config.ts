import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages export TypeScript sources under the `source` condition; they are inlined
  // (transformed by vite) so that condition applies instead of Node's own resolution of dist/.
  resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['source', 'node'] } },
  test: {
    name: 'vod-uploader',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['../backend/test/global-setup.ts'],
    environment: 'node',
    server: { deps: { inline: [/@ocp\/backend/] } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file runs its own worker(s) and test GCS server; keep CPU-heavy ffmpeg work from piling up on 2 cores.
    fileParallelism: false,
  },
});
