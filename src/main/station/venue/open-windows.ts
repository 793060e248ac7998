// A reader's opening hours: windows like "08:00-18:30" in the station's local time; one ending
// before it starts runs past midnight ("22:00-02:00"). Outside every window a scan is denied.

export type OpenWindow = [string, string]

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/

const minutes = (hhmm: string): number => {
  const m = TIME.exec(hhmm)!
  return Number(m[1]) * 60 + Number(m[2])
}

export class OpenWindowsError extends Error {
  override name = 'OpenWindowsError'
}

/** Parses "08:00-18:30,20:00-23:00"; an empty text means always open (null). */
export function parseOpenWindows(text: string): OpenWindow[] | null {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  if (parts.length === 0) return null
  if (parts.length > 12) throw new OpenWindowsError('at most 12 opening windows')
  return parts.map((p) => {
    const [from, to, ...rest] = p.split('-').map((x) => x.trim())
    if (!from || !to || rest.length > 0 || !TIME.test(from) || !TIME.test(to) || from === to) {
      throw new OpenWindowsError(`"${p}" is not an opening window: write it as HH:MM-HH:MM in 24-hour time, e.g. 08:00-18:30`)
    }
    return [from, to] as OpenWindow
  })
}

export const formatOpenWindows = (windows: OpenWindow[] | null): string => (windows ? windows.map(([a, b]) => `${a}-${b}`).join(',') : '')

/** Whether `at` (epoch ms) falls inside one of the windows, in the station's local time. */
export function isOpen(windows: OpenWindow[] | null, at: number): boolean {
  if (!windows) return true
  const d = new Date(at)
  const now = d.getHours() * 60 + d.getMinutes()
  return windows.some(([from, to]) => {
    const a = minutes(from)
    const b = minutes(to)
    return a < b ? now >= a && now < b : now >= a || now < b
  })
}
