// Secrets at rest in the desk are sealed with the OS keychain through safeStorage.
import { safeStorage } from 'electron'
import { plainSealer, type Sealer } from '../station/secrets'

export function desktopSealer(warn: (message: string) => void): Sealer {
  if (!safeStorage.isEncryptionAvailable()) {
    warn('OS encryption is not available: secrets are kept in a 0600 file only')
    return plainSealer
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    warn('No keyring found: Electron falls back to its plain-text backend; secrets are protected by file mode 0600 only')
  }
  return {
    kind: 'safeStorage',
    seal: (text) => safeStorage.encryptString(text).toString('base64'),
    unseal: (text) => safeStorage.decryptString(Buffer.from(text, 'base64')),
  }
}
