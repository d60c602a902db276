import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API runs on 8080; production uses nginx on :8000 proxying /api, so the app
// only ever calls relative /api URLs.
const apiTarget = process.env.VITE_API_PROXY_TARGET ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    port: 4173,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    // OvenPlayer (+ hls.js) is ~1 MB unminified and only needed on player pages; it is loaded
    // with a dynamic import and lands in its own chunks, so the warning limit is about our code.
    chunkSizeWarningLimit: 600,
  },
});
