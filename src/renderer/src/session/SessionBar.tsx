// The operator at the desk and their role, in the top bar: the name asked once per session (every
// action is recorded with it), "Unlock admin" with the passphrase (set here on first run), "Lock".
import { useState } from 'react'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { errorText } from '../api/desk'
import { identify, lockAdmin, setPassphrase, unlockAdmin, useSession } from './session-store'

export function SessionBar(): React.JSX.Element | null {
  const session = useSession()
  const [unlocking, setUnlocking] = useState(false)
  if (!session) return null
  const admin = session.role === 'admin'
  return (
    <div className="session-bar" data-testid="session-bar">
      <span data-testid="session-operator">{session.operator ?? 'No name'}</span>
      <span className={admin ? 'badge severity severity-warning' : 'badge'} data-testid="session-role">
        {admin ? 'Admin' : 'Officer'}
      </span>
      {admin ? (
        <button type="button" className="btn" onClick={() => void lockAdmin()}>
          Lock admin
        </button>
      ) : (
        <button type="button" className="btn" onClick={() => setUnlocking(true)} disabled={!session.operator}>
          {session.passphrase_set ? 'Unlock admin' : 'Set admin passphrase'}
        </button>
      )}
      {!session.operator && <OperatorDialog open />}
      {unlocking && (
        <UnlockDialog firstRun={!session.passphrase_set} idleMinutes={session.idle_minutes} onDone={() => setUnlocking(false)} />
      )}
    </div>
  )
}

function OperatorDialog({ open }: { open: boolean }): React.JSX.Element {
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  return (
    <ConfirmDialog
      open={open}
      title="Who is at the desk?"
      confirmLabel="Start"
      onConfirm={() => void identify(name.trim()).catch((err: unknown) => setError(errorText(err)))}
      onCancel={() => undefined}
    >
      <p>Every acknowledgement and change made from this desk is recorded with your name.</p>
      <label className="field">
        <span>Your name</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="name"
          aria-label="Your name at the desk"
          required
          autoFocus
        />
      </label>
      {error && <p role="alert">{error}</p>}
    </ConfirmDialog>
  )
}

function UnlockDialog(props: { firstRun: boolean; idleMinutes: number; onDone: () => void }): React.JSX.Element {
  const [passphrase, setValue] = useState('')
  const [again, setAgain] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (): Promise<void> => {
    if (props.firstRun && passphrase !== again) return setError('The two passphrases differ')
    setBusy(true)
    try {
      await (props.firstRun ? setPassphrase(passphrase) : unlockAdmin(passphrase))
      props.onDone()
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <ConfirmDialog
      open
      title={props.firstRun ? 'Set the admin passphrase' : 'Unlock admin'}
      confirmLabel={props.firstRun ? 'Set and unlock' : 'Unlock'}
      busy={busy}
      onConfirm={() => void submit()}
      onCancel={props.onDone}
    >
      <p>
        Admin actions (secrets, allowlists, readers, projects, TLS, retention, plain HTTP, notification targets, zones, watch list,
        lockdowns, overrides) need the passphrase. The unlock lapses after {props.idleMinutes} minutes without an admin action.
        {props.firstRun &&
          ' No passphrase is set yet: choose one (at least 8 characters); change it later with `gatehouse admin set-passphrase`.'}
      </p>
      <label className="field">
        <span>Admin passphrase</span>
        <input
          type="password"
          value={passphrase}
          onChange={(e) => setValue(e.target.value)}
          aria-label="Admin passphrase"
          autoComplete="current-password"
          autoFocus
        />
      </label>
      {props.firstRun && (
        <label className="field">
          <span>Again</span>
          <input
            type="password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            aria-label="Admin passphrase again"
            autoComplete="new-password"
          />
        </label>
      )}
      {error && (
        <p role="alert" data-testid="unlock-error">
          {error}
        </p>
      )}
    </ConfirmDialog>
  )
}
