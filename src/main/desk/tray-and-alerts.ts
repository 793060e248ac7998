// The tray icon shows overall health; new alerts raise a desktop notification.
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
    const isNew = !alert.resolved_at && !alert.acknowledged_at && !open.has(alert.id)
    if (alert.resolved_at) open.delete(alert.id)
    else open.set(alert.id, alert)
    refresh()
    if (isNew && Notification.isSupported()) {
      new Notification({
        title: `${alert.severity === 'critical' ? 'Critical' : 'Warning'}: ${alert.subject}`,
        body: alert.message,
        urgency: alert.severity === 'critical' ? 'critical' : 'normal',
        silent: alert.severity !== 'critical',
      }).show()
    }
  })
  return () => {
    off()
    tray.destroy()
  }
}
