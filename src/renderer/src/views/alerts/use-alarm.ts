// How the desk calls for attention: one sound per batch of new alerts (its most severe), the
// priority-1 sound repeated while any priority-1 alert waits unacknowledged, and in browser mode a
// desktop notification (Web Notification API, when the operator allowed it; the Electron desk's
// main process shows its own and brings the window to the front).
import { useEffect } from 'react'
import { useLiveStore } from '../../store/LiveProvider'
import { desk } from '../../api/desk'
import { playAlertSound, unlockAudioOnGesture } from '../../ui/alert-sound'
import type { AlertView } from '../../../../shared/domain'

/** How often the priority-1 sound repeats until it is acknowledged. */
export const P1_REPEAT_MS = 8_000

export const waitingP1 = (alerts: readonly AlertView[]): boolean => alerts.some((a) => a.priority === 1 && a.state === 'open')

function notifyDesktop(alerts: AlertView[]): void {
  if (desk.transport !== 'browser' || typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  for (const a of alerts.slice(0, 3)) {
    try {
      new Notification(`P${a.priority} ${a.subject}`, {
        body: a.message,
        tag: `gatehouse-alert-${a.id}`,
        requireInteraction: a.priority === 1,
      })
    } catch {
      /* notifications unavailable here: the banner and the sound still say it */
    }
  }
}

export function useAlarm(muted: boolean): void {
  const store = useLiveStore()
  useEffect(() => unlockAudioOnGesture(), [])
  useEffect(
    () =>
      store.onNewAlerts((alerts) => {
        notifyDesktop(alerts)
        if (muted) return
        playAlertSound(
          alerts.some((a) => a.severity === 'critical' || a.priority === 1)
            ? 'critical'
            : alerts.some((a) => a.severity === 'warning')
              ? 'warning'
              : 'info',
        )
      }),
    [store, muted],
  )
  useEffect(() => {
    if (muted) return
    const timer = setInterval(() => {
      const open = store.getState()?.openAlerts
      if (open && waitingP1(open)) playAlertSound('critical')
    }, P1_REPEAT_MS)
    return () => clearInterval(timer)
  }, [store, muted])
}
