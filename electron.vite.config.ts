import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// main and preload are bundled to CommonJS for Electron; the renderer is a plain browser
// bundle that the Electron window and the loopback bridge both serve.
export default defineConfig({
  main: {
    // engineHost is the engine's own process (an Electron utility process), built beside index.js.
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/main.ts'), engineHost: resolve(__dirname, 'electron/engineProcess/hostEntry.ts') },
        external: ['@duckdb/node-api'],
      },
    },
  },
  preload: {
    build: { rollupOptions: { input: { index: resolve(__dirname, 'electron/preload.ts') } } },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      minify: true,
      chunkSizeWarningLimit: 4000,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
