/**
 * The browser game's build. `npm run build:web` writes web/dist (hashed assets under /assets/, served
 * by the server with a long immutable cache); `npm run dev:web` serves the sources with hot reload and
 * proxies the API (HTTP and the WebSocket) to a running server, METAGAMEPLAY_URL or 127.0.0.1:8080.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const target = process.env.METAGAMEPLAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline module-preload polyfill script: the page's CSP allows scripts from its own origin only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target, ws: true, changeOrigin: false },
      '/healthz': target,
      '/readyz': target,
    },
  },
});
