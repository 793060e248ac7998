// Browser mode: ask once for permission to show desktop notifications (the Electron desk's main
// process shows its own). Hidden when not applicable or already decided.
import { useState } from 'react'
import { desk } from '../../api/desk'

export function DesktopNotifications(): React.JSX.Element | null {
  const [permission, setPermission] = useState(() => (typeof Notification === 'undefined' ? 'denied' : Notification.permission))
  if (desk.transport !== 'browser' || permission !== 'default') return null
  return (
    <p className="hint">
      <button type="button" className="btn btn-small" onClick={() => void Notification.requestPermission().then(setPermission)}>
        Show desktop notifications for new alerts
      </button>
    </p>
  )
}
