// Attendees: who is registered, their status in words, and when their credential was last scanned.
import { useState } from 'react'
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { useNow } from '../../store/use-now'
import { useThrottled } from '../../store/use-throttled'
import { Panel, Empty, Notice } from '../../ui/Panel'
import { Icon, type IconName } from '../../ui/Icon'
import { age, count, dateTime } from '../../ui/format'
import type { AttendeeStatus } from '../../../../shared/domain'
import { ConflictsPanel } from './ConflictsPanel'
import { WatchListPanel } from '../venue/WatchListPanel'

const PAGE = 100
const STATUS: Record<AttendeeStatus, { icon: IconName; word: string }> = {
  active: { icon: 'user', word: 'Active' },
  checked_in: { icon: 'granted', word: 'Checked in (Cvent)' },
  cancelled: { icon: 'denied', word: 'Cancelled' },
}

export function AttendeesView(): React.JSX.Element {
  const [query, setQuery] = useState('')
  const [limit, setLimit] = useState(PAGE)
  const syncVersion = useLive((s) => s.versions.sync)
  // Scans change "last scan" and check-ins: refresh with them, but at most every 5 s.
  const scans = useThrottled(
    useLive((s) => s.versions.decisions),
    5000,
  )
  const now = useNow()

  const { data: result, error } = useDeskQuery(
    'attendees:search',
    { query: query.trim(), limit },
    { refreshOn: [syncVersion, scans], debounceMs: 200 },
  )

  const attendees = result?.attendees ?? []
  return (
    <div className="stack" data-testid="attendees-view">
      <section className="counters" aria-label="Attendee totals">
        <Total label="Registered" value={result?.total} />
        <Total
          label="Entered today"
          value={result?.entered_today}
          icon="granted"
          hint="people granted at a reader since midnight"
          testId="entered-today"
        />
        <Total label="Cvent check-ins" value={result?.checked_in} icon="granted" hint="checked in by Cvent" testId="cvent-check-ins" />
        <Total label="Cancelled" value={result?.cancelled} icon="denied" />
      </section>
      <ConflictsPanel />
      <WatchListPanel />
      <Panel
        title="Attendees"
        id="attendees"
        actions={
          <label className="search">
            <Icon name="search" />
            <span className="sr-only">Search attendees</span>
            <input
              type="search"
              value={query}
              onChange={(e) => (setQuery(e.target.value), setLimit(PAGE))}
              placeholder="Name, email, credential or ID"
              aria-label="Search attendees"
            />
          </label>
        }
      >
        {error && <Notice kind="error">{error}</Notice>}
        {result === null ? (
          <p className="loading">Loading…</p>
        ) : attendees.length === 0 ? (
          <Empty>{query ? `Nobody matches “${query}”.` : 'No attendees yet: they arrive with attendee-sync or Cvent webhooks.'}</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="attendee-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Credential</th>
                  <th scope="col">Type</th>
                  <th scope="col">Project</th>
                  <th scope="col">Last scan</th>
                </tr>
              </thead>
              <tbody>
                {attendees.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <strong>
                        {a.first_name} {a.last_name}
                      </strong>
                      {a.email && <span className="dim cell-sub">{a.email}</span>}
                    </td>
                    <td>
                      <span className={`badge attendee-${a.status}`}>
                        <Icon name={STATUS[a.status].icon} size={16} />
                        {STATUS[a.status].word}
                      </span>
                    </td>
                    <td className="mono">{a.credential_value}</td>
                    <td>{a.attendee_type}</td>
                    <td className="mono dim">{a.project}</td>
                    <td title={dateTime(a.last_scan_at)}>{age(a.last_scan_at, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {result && attendees.length >= limit && (
          <button type="button" className="btn load-more" onClick={() => setLimit(limit + PAGE)}>
            Show {PAGE} more
          </button>
        )}
      </Panel>
    </div>
  )
}

function Total(props: { label: string; value: number | undefined; icon?: IconName; hint?: string; testId?: string }): React.JSX.Element {
  return (
    <div className="stat" data-testid={props.testId}>
      <span className="stat-label">
        {props.icon && <Icon name={props.icon} size={16} />}
        {props.label}
      </span>
      <span className="stat-value">{props.value === undefined ? '—' : count(props.value)}</span>
      {props.hint && <span className="stat-hint">{props.hint}</span>}
    </div>
  )
}
