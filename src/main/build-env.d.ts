// Replaced by Vite when the main bundle is built: true under `electron-vite dev`, false in every
// `electron-vite build` (so nothing meant for the dev server survives into a built desk).
interface ImportMetaEnv {
  readonly DEV: boolean
}
interface ImportMeta {
  readonly env: ImportMetaEnv
}
