import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// API routes the dev server forwards to a running `balanceops serve` (BALANCEOPS_API_URL, default :8000).
const API_PATHS = ['/health', '/version', '/model', '/models', '/runs', '/meta', '/docs', '/openapi.json'];

export default defineConfig({
  root: here('.'),
  // Relative URLs: the server adds <base href> for wherever it mounts the UI (`/` or `/dashboard/`).
  base: './',
  plugins: [react()],
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: Object.fromEntries(
      API_PATHS.map((path) => [path, process.env.BALANCEOPS_API_URL ?? 'http://127.0.0.1:8000']),
    ),
  },
});
