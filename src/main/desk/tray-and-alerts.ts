// The tray icon shows overall health; new alerts raise a desktop notification, and a new
// priority-1 alert (or one reopened or back from a snooze) brings the desk window to the front.
import { Menu, Notification, Tray, nativeImage } from 'electron'
import type { Hub } from '../station/hub'
import type { StationEvents } from '../../shared/events'
import type { AlertView } from '../../shared/domain'

export function createTray(
  icon: { file: string; template: boolean },
  actions: { show: () => void; openWall: () => void; quit: () => void },
  openAlerts: () => AlertView[],
  hub: Hub<StationEvents>,
): () => void {
  const image = nativeImage.createFromPath(icon.file)
  image.setTemplateImage(icon.template)
  const tray = new Tray(image)
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Gatehouse', click: actions.show },
      { label: 'Open wall display', click: actions.openWall },
      { type: 'separator' },
      { label: 'Quit (stops receiving webhooks)', click: actions.quit },
    ]),
  )
  tray.on('click', actions.show)
  const open = new Map(openAlerts().map((a) => [a.id, a]))
  const refresh = (): void => {
    const critical = [...open.values()].filter((a) => a.severity === 'critical').length
    tray.setToolTip(open.size === 0 ? 'Gatehouse: all healthy' : `Gatehouse: ${open.size} open alert(s), ${critical} critical`)
    if (process.platform === 'darwin') tray.setTitle(open.size === 0 ? '' : String(open.size))
  }
  refresh()
  const off = hub.on('alert:changed', (alert) => {
    const before = open.get(alert.id)
    const isNew = alert.state === 'open' && (!before || before.state !== 'open' || before.occurrences < alert.occurrences)
    if (alert.resolved_at) open.delete(alert.id)
    else open.set(alert.id, alert)
    refresh()
    if (!isNew) return
    if (alert.priority === 1) actions.show()
    if (Notification.isSupported()) {
      new Notification({
        title: `P${alert.priority} ${alert.severity === 'critical' ? 'Critical' : alert.severity === 'warning' ? 'Warning' : 'Notice'}: ${alert.subject}`,
        body: alert.message,
        urgency: alert.priority === 1 ? 'critical' : 'normal',
        silent: alert.priority > 2,
      }).show()
    }
  })
  return () => {
    off()
    tray.destroy()
  }
}
