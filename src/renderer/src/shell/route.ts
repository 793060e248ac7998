// Hash routes (`#/logs?status=403`): links stay plain <a>, the back button works, and the
// locked-down desk window never navigates away from its one page.
import { useSyncExternalStore } from 'react'

// 'wall' is the wall display: the same page, without the desk's frame (a second screen, a TV).
export const VIEWS = ['live', 'alerts', 'webhooks', 'logs', 'attendees', 'audit', 'wall'] as const
export type ViewName = (typeof VIEWS)[number]

export interface Route {
  view: ViewName
  params: URLSearchParams
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?')
  const view = (VIEWS as readonly string[]).includes(path) ? (path as ViewName) : 'live'
  return { view, params: new URLSearchParams(query) }
}

export function href(view: ViewName, params?: Record<string, string | undefined>): string {
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(params ?? {})) if (v) query.set(k, v)
  const q = query.toString()
  return `#/${view}${q ? `?${q}` : ''}`
}

export function navigate(view: ViewName, params?: Record<string, string | undefined>): void {
  window.location.hash = href(view, params)
}

const subscribe = (listener: () => void): (() => void) => {
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash)
}
