// The ways the desk's start can fail that the operator can act on; startup-error.ts words them.

/** The Electron-ABI better-sqlite3 is missing or built for another ABI. */
export class NativeModuleError extends Error {
  override name = 'NativeModuleError'
}

/** The receiver could not listen (port in use, privileged port, foreign address). */
export class DeskListenError extends Error {
  override name = 'DeskListenError'
}

/** safeStorage could not unseal secrets.json (another keychain, or none unlocked). */
export class SealedSecretsError extends Error {
  override name = 'SealedSecretsError'
}
