// What the operator reads when the desk cannot start: a dialog (the desk has no console anyone
// sees) that says what went wrong and what to do about it. Plain Node: the shell shows it.
import { ListenConfigError } from '../station/listen-config'
import { NewerDatabaseError } from '../station/store/db'
import { DeskListenError, NativeModuleError, SealedSecretsError } from './desk-errors'

export interface StartupErrorDialog {
  title: string
  content: string
}

const TITLE = 'Gatehouse could not start'

export function describeStartupError(err: unknown, context: { dataDir: string }): StartupErrorDialog {
  const message = err instanceof Error ? err.message : String(err)
  const body = (what: string, todo: string): StartupErrorDialog => ({
    title: TITLE,
    content: `${what}\n\n${todo}\n\nData directory: ${context.dataDir}`,
  })
  // secrets.ts refuses a file sealed by another sealer than the one it was given; the desk hands it
  // the plain one exactly when the OS keychain is unavailable.
  if (err instanceof SealedSecretsError || /secrets\.json is sealed with /.test(message)) {
    return body(
      `The signing secrets (secrets.json) are sealed with the OS keychain, and it cannot unseal them now: ${message}`,
      'Start Gatehouse in the desktop session that sealed them, with its keychain unlocked (on Linux: a keyring such as GNOME Keyring or KWallet, unlocked at login). ' +
        'If that keychain is gone for good, move secrets.json out of the data directory and start again: new secrets are generated, and every gateway must then be given the new ones.',
    )
  }
  if (err instanceof NativeModuleError) return body(message, 'Nothing was opened or changed.')
  if (err instanceof NewerDatabaseError) return body(message, 'Nothing was changed.')
  if (err instanceof ListenConfigError) {
    return body(message, 'Fix or unset that variable in the environment that starts Gatehouse; nothing was opened.')
  }
  if (err instanceof DeskListenError) return body(message, 'The store was closed again; nothing was lost.')
  return body(
    `Unexpected error: ${message}`,
    'Start Gatehouse from a terminal (`npm start`, or the executable) to see the details it logs, and report them.',
  )
}
