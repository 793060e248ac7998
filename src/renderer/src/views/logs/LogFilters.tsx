import { useState } from 'react'
import { Icon } from '../../ui/Icon'
import { ENDPOINTS, endpointPath } from '../../../../shared/webhooks'
import { STATUS_PATTERN, rangeError, type FilterForm } from './log-filter'

/** Endpoint, status (403 or 4xx) and a date range; applied together. */
export function LogFilters({ initial, onApply }: { initial: FilterForm; onApply: (form: FilterForm) => void }): React.JSX.Element {
  const [form, setForm] = useState(initial)
  const set = (k: keyof FilterForm) => (ev: { target: { value: string } }) => setForm({ ...form, [k]: ev.target.value })
  const statusBad = form.status.trim() !== '' && !STATUS_PATTERN.test(form.status.trim().toLowerCase())
  const range = rangeError(form)
  const bad = statusBad || range !== null
  return (
    <form
      className="log-filters"
      aria-label="Filter the log"
      onSubmit={(ev) => {
        ev.preventDefault()
        if (!bad) onApply(form)
      }}
    >
      <div className="field">
        <label htmlFor="log-endpoint">Endpoint</label>
        <select id="log-endpoint" value={form.endpoint} onChange={set('endpoint')}>
          <option value="">All endpoints</option>
          {ENDPOINTS.map((e) => (
            <option key={e} value={endpointPath(e)}>
              {e}
            </option>
          ))}
        </select>
      </div>
      <label className="field field-narrow">
        <span>Status</span>
        <input
          value={form.status}
          onChange={set('status')}
          placeholder="403 or 4xx"
          list="status-options"
          aria-invalid={statusBad}
          className="mono"
        />
        <datalist id="status-options">
          {['2xx', '4xx', '5xx', '200', '400', '401', '403', '404', '413', '429', '503'].map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      <label className="field">
        <span>From</span>
        <input
          value={form.since}
          onChange={set('since')}
          placeholder="YYYY-MM-DD HH:MM"
          inputMode="numeric"
          className="mono"
          aria-invalid={range !== null && range.startsWith('From is a')}
          aria-describedby="log-range-error"
        />
      </label>
      <label className="field">
        <span>To</span>
        <input
          value={form.until}
          onChange={set('until')}
          placeholder="YYYY-MM-DD HH:MM"
          inputMode="numeric"
          className="mono"
          aria-invalid={range !== null && !range.startsWith('From is a')}
          aria-describedby="log-range-error"
        />
      </label>
      <div className="filter-actions">
        <button type="submit" className="btn btn-primary" disabled={bad}>
          <Icon name="search" />
          Apply
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            const empty = { endpoint: '', status: '', since: '', until: '' }
            setForm(empty)
            onApply(empty)
          }}
        >
          Clear
        </button>
      </div>
      {statusBad && <p className="field-error filter-error">✖ Status is a code (403) or a class (4xx)</p>}
      {range && (
        <p className="field-error filter-error" id="log-range-error" role="alert" data-testid="log-range-error">
          ✖ {range}
        </p>
      )}
    </form>
  )
}
