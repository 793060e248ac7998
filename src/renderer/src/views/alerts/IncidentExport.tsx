// The incident export: every alert open at any time in a range, with its notes, as CSV or JSON.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { Panel, Notice } from '../../ui/Panel'
import { Icon } from '../../ui/Icon'
import { download } from '../logs/download'

/** `datetime-local` wants local time without a zone. */
const local = (ms: number): string => {
  const d = new Date(ms)
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset())
  return d.toISOString().slice(0, 16)
}

export function IncidentExport(): React.JSX.Element {
  const [since, setSince] = useState(() => local(Date.now() - 12 * 3600_000))
  const [until, setUntil] = useState(() => local(Date.now() + 60_000))
  const [error, setError] = useState<string | null>(null)
  const run = async (format: 'csv' | 'json'): Promise<void> => {
    setError(null)
    const from = Date.parse(since)
    const to = Date.parse(until)
    if (Number.isNaN(from) || Number.isNaN(to)) return setError('Enter both times')
    try {
      const file = await call('alerts:export', { since: new Date(from).toISOString(), until: new Date(to).toISOString(), format })
      download(file.filename, file.mime, file.content)
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <Panel title="Incident export" id="incident-export" actions={<span className="hint">alerts open in the range, with their notes</span>}>
      <div className="export-form">
        <label>
          From <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <label>
          To <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
        </label>
        <button type="button" className="btn" onClick={() => void run('csv')}>
          <Icon name="download" /> Export CSV
        </button>
        <button type="button" className="btn" onClick={() => void run('json')}>
          <Icon name="download" /> Export JSON
        </button>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </Panel>
  )
}
