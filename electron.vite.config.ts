import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// electron-vite's target table stops before Electron 45; the main bundle also runs
// under plain Node 20 (browser mode, CLI), so target the lower of the two.
const nodeTarget = 'node20'

export default defineConfig({
  main: {
    build: {
      target: nodeTarget,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/main.ts'),
          // Its own file: browser mode starts it as a worker thread (desk/desk-reader.ts finds it here).
          'desk-reader-worker': resolve(__dirname, 'src/main/station/desk/desk-reader-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      target: nodeTarget,
      rollupOptions: {
        // A sandboxed preload cannot load ES modules: emit CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
    plugins: [react()],
  },
})
