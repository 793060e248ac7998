// Alerts as a queue: the most urgent priority first, then the one waiting longest; filters by state
// and kind; each with its kind's instructions, its history and the operator's steps. Keyboard: j/k
// or the arrows move, a acknowledges, i investigates, n adds a note, s snoozes, r resolves (the
// note field takes what the step needs). Below: the incident export and the per-kind settings.
import { useEffect, useMemo, useState } from 'react'
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { Panel, Empty, Notice } from '../../ui/Panel'
import { ALERT_KIND_WORDS } from '../../ui/format'
import { queueOrder } from '../../../../shared/alerts'
import { ALERT_KINDS, ALERT_STATES, type AlertKind, type AlertState, type AlertView } from '../../../../shared/domain'
import { AlertRow } from './AlertRow'
import { IncidentExport } from './IncidentExport'
import { AlertKindsPanel } from './AlertKindsPanel'
import { DesktopNotifications } from './DesktopNotifications'

type StateFilter = 'active' | AlertState | 'all'
const ACTIVE: ReadonlySet<AlertState> = new Set(['open', 'acknowledged', 'investigating'])
const KEY_STEPS: Record<string, string> = { a: 'acknowledge', i: 'investigate', n: 'note', s: 'snooze', r: 'resolve' }

export function AlertsView(): React.JSX.Element {
  const version = useLive((s) => s.versions.alerts)
  const query = useDeskQuery('alerts:list', { include_resolved: true, limit: 500 }, { refreshOn: [version] })
  const configVersion = useLive((s) => s.versions.config)
  const kinds = useDeskQuery('alerts:kinds', {}, { refreshOn: [configVersion] })
  const { data: alerts, error } = query
  const [stateFilter, setStateFilter] = useState<StateFilter>('active')
  const [kindFilter, setKindFilter] = useState<AlertKind | 'all'>('all')
  const [selected, setSelected] = useState<number | null>(null)

  const settings = useMemo(() => new Map((kinds.data ?? []).map((k) => [k.kind, k])), [kinds.data])
  const queue = useMemo(() => {
    const shown = (alerts ?? []).filter(
      (a) =>
        (stateFilter === 'all' || (stateFilter === 'active' ? ACTIVE.has(a.state) : a.state === stateFilter)) &&
        (kindFilter === 'all' || a.kind === kindFilter),
    )
    const resolved = (a: AlertView): boolean => a.state === 'resolved'
    return shown.sort((a, b) =>
      resolved(a) !== resolved(b) ? (resolved(a) ? 1 : -1) : resolved(a) ? b.resolved_at!.localeCompare(a.resolved_at!) : queueOrder(a, b),
    )
  }, [alerts, stateFilter, kindFilter])
  const replace = (updated: AlertView): void => {
    if (alerts) query.replace(alerts.map((a) => (a.id === updated.id ? updated : a)))
  }
  const waiting = (alerts ?? []).filter((a) => a.state === 'open').length
  const current = queue.find((a) => a.id === selected) ?? queue[0]

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null
      if (e.ctrlKey || e.metaKey || e.altKey || (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return
      if (!current) return
      const at = queue.indexOf(current)
      if (e.key === 'j' || e.key === 'ArrowDown') {
        setSelected(queue[Math.min(at + 1, queue.length - 1)]!.id)
        e.preventDefault()
        return
      }
      if (e.key === 'k' || e.key === 'ArrowUp') {
        setSelected(queue[Math.max(at - 1, 0)]!.id)
        e.preventDefault()
        return
      }
      const step = KEY_STEPS[e.key]
      if (!step) return
      const row = document.querySelector(`[data-testid="alert-${current.id}"]`)
      const button = row?.querySelector<HTMLButtonElement>(`button[data-step="${step}"]`)
      if (!button) return
      e.preventDefault()
      setSelected(current.id)
      button.click()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [queue, current])

  return (
    <div className="stack" data-testid="alerts-view">
      {error && <Notice kind="error">Could not load alerts: {error}</Notice>}
      <Panel
        title={`Alert queue (${queue.length})`}
        id="alert-queue"
        actions={
          <div className="queue-filters">
            <span className="hint">{waiting} waiting for acknowledgement</span>
            <label>
              State{' '}
              <select value={stateFilter} onChange={(e) => setStateFilter(e.target.value as StateFilter)} aria-label="Filter by state">
                <option value="active">Open, acknowledged, investigating</option>
                {ALERT_STATES.map((s) => (
                  <option key={s} value={s}>
                    {s[0]!.toUpperCase() + s.slice(1)}
                  </option>
                ))}
                <option value="all">All</option>
              </select>
            </label>
            <label>
              Kind{' '}
              <select value={kindFilter} onChange={(e) => setKindFilter(e.target.value as AlertKind | 'all')} aria-label="Filter by kind">
                <option value="all">All kinds</option>
                {ALERT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {ALERT_KIND_WORDS[k]}
                  </option>
                ))}
              </select>
            </label>
          </div>
        }
      >
        <p className="hint keys">Keys: j/k move · a acknowledge · i investigate · n note · s snooze · r resolve</p>
        <DesktopNotifications />
        {alerts === null ? (
          <p className="loading">Loading…</p>
        ) : queue.length === 0 ? (
          <Empty>
            {stateFilter === 'active' && kindFilter === 'all'
              ? 'No open alerts. Gateways, readers and webhook sources look healthy.'
              : 'No alert matches these filters.'}
          </Empty>
        ) : (
          <ul className="alert-list" data-testid="alert-queue">
            {queue.map((a) => (
              <AlertRow
                key={a.id}
                alert={a}
                instructions={settings.get(a.kind)?.instructions ?? ''}
                snoozeMax={settings.get(a.kind)?.snooze_max_minutes ?? 0}
                selected={a.id === current?.id}
                onSelect={() => setSelected(a.id)}
                onChanged={replace}
              />
            ))}
          </ul>
        )}
      </Panel>
      <IncidentExport />
      <AlertKindsPanel kinds={kinds.data} onSaved={() => void kinds.reload()} />
    </div>
  )
}
