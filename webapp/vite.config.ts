// Vite build for the Leadmap single-page app: Preact + TypeScript, hashed assets under
// /assets/ so nginx can cache them for a long time; index.html stays tiny and has no
// inline script or style (the CSP is script-src 'self'; style-src 'self').
import { defineConfig, loadEnv } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig(({ mode }) => {
  // `LEADMAP_API=http://127.0.0.1:8080 npm run dev` proxies /api to a running stack.
  const api = loadEnv(mode, '.', 'LEADMAP_')['LEADMAP_API'];
  return {
    plugins: [preact()],
    // @dnd-kit (the map editor's drag and drop) imports React: give it preact/compat.
    resolve: {
      alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
    },
    build: {
      outDir: 'dist',
      assetsDir: 'assets',
      target: 'es2022',
      // Every browser we support has <link rel="modulepreload">; the polyfill only adds bytes.
      modulePreload: { polyfill: false },
      // Keep assets as files: inlined data would gain nothing and CSS must stay external.
      assetsInlineLimit: 0,
    },
    server: api ? { proxy: { '/api': api } } : {},
  };
});
