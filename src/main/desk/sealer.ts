// Secrets at rest in the desk are sealed with the OS keychain through safeStorage.
import { safeStorage } from 'electron'
import { plainSealer, type Sealer } from '../station/secrets'
import { SealedSecretsError } from './desk-errors'

export function desktopSealer(warn: (message: string) => void): Sealer {
  if (!safeStorage.isEncryptionAvailable()) {
    const warning = 'OS encryption is not available: secrets are kept in a 0600 file only'
    warn(warning)
    return { ...plainSealer, warning }
  }
  let warning: string | undefined
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    warning = 'No keyring found: Electron falls back to its plain-text backend; secrets are protected by file mode 0600 only'
    warn(warning)
  }
  return {
    kind: 'safeStorage',
    warning,
    seal: (text) => safeStorage.encryptString(text).toString('base64'),
    unseal: (text) => {
      try {
        return safeStorage.decryptString(Buffer.from(text, 'base64'))
      } catch (err) {
        // Sealed by another keychain (or user, or machine): the start-up dialog says what to do.
        throw new SealedSecretsError(`safeStorage could not unseal secrets.json: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        })
      }
    },
  }
}
