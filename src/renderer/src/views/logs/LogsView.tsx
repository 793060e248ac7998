// The webhook log: filter, page back through it (keyset on id), open an entry, export the rows.
import { useMemo, useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { Panel, Notice } from '../../ui/Panel'
import { Icon } from '../../ui/Icon'
import { navigate } from '../../shell/route'
import { logIdNumber, type WebhookLogRecord } from '../../../../shared/log'
import { LogFilters } from './LogFilters'
import { LogTable } from './LogTable'
import { LogDetail } from './LogDetail'
import { exportAllPages } from './export-pages'
import { formFromParams, toLogFilter, type FilterForm } from './log-filter'
import { download } from './download'

const PAGE = 50

/** Mounted afresh (keyed by the URL) whenever the filter in the URL changes. */
export function LogsView({ params }: { params: URLSearchParams }): React.JSX.Element {
  const [form] = useState(() => formFromParams(params))
  const filter = useMemo(() => toLogFilter(form), [form])
  // Cursors of the pages before this one; the current page starts before `cursors.at(-1)`.
  const [cursors, setCursors] = useState<string[]>([])
  const [selected, setSelected] = useState<string | null>(params.get('id'))
  const [exportError, setExportError] = useState<string | null>(null)
  const logVersion = useLive((s) => s.versions.logs)
  const before = cursors.at(-1)
  // Only the first page follows new entries; older pages hold still while being read. The first
  // page holds still too while the pointer is over the table or an entry is open (the row under
  // the mouse stays the row clicked); what arrived meanwhile is counted and shown on request.
  const liveKey = before === undefined ? logVersion : 0
  // A new filter or page loads at once; new entries refresh the first page at most once a second.
  const page = useDeskQuery(
    'logs:query',
    { ...filter, before, limit: PAGE + 1 },
    { refreshOn: [liveKey], throttleMs: 1000, keepPrevious: true },
  )
  const latest = useMemo(
    (): { rows: WebhookLogRecord[]; hasOlder: boolean } | null =>
      page.data ? { rows: page.data.slice(0, PAGE), hasOlder: page.data.length > PAGE } : null,
    [page.data],
  )
  const error = page.error ?? exportError
  const [hovering, setHovering] = useState(false)
  const paused = before === undefined && (hovering || selected !== null)
  const [frozen, setFrozen] = useState<typeof latest>(null)
  if (paused && frozen === null && latest !== null) setFrozen(latest)
  if (!paused && frozen !== null) setFrozen(null)
  const shown = (paused ? frozen : null) ?? latest
  const rows = shown?.rows ?? null
  const hasOlder = shown?.hasOlder ?? false
  const newest = rows?.[0] ? logIdNumber(rows[0].id) : 0
  const arrived = paused && latest ? latest.rows.filter((r) => logIdNumber(r.id) > newest).length : 0

  const apply = (f: FilterForm): void => navigate('logs', { ...f })
  const exportRows = async (format: 'csv' | 'json'): Promise<void> => {
    setExportError(null)
    try {
      const file = await exportAllPages((input) => call('logs:export', input), { ...filter, before: undefined }, format)
      download(file.filename, file.mime, file.content)
    } catch (err) {
      setExportError(errorText(err))
    }
  }

  return (
    <div className={`logs ${selected ? 'with-detail' : ''}`} data-testid="logs-view">
      <Panel
        title="Webhook log"
        id="log"
        className="log-panel"
        actions={
          <>
            <button type="button" className="btn" onClick={() => void exportRows('csv')}>
              <Icon name="download" />
              Export CSV
            </button>
            <button type="button" className="btn" onClick={() => void exportRows('json')}>
              <Icon name="download" />
              Export JSON
            </button>
          </>
        }
      >
        <LogFilters initial={form} onApply={apply} />
        {error && <Notice kind="error">{error}</Notice>}
        {/* Always there on the first page, so that pausing or resuming never moves the rows. */}
        {before === undefined && (
          <p className={`follow-state${paused ? ' follow-paused' : ''}`} role="status" data-testid="follow-state">
            {!paused ? (
              'Following new entries'
            ) : (
              <>
                <strong>Following paused</strong>
                {selected !== null ? ' while an entry is open' : ' while the pointer is over the table'}
              </>
            )}
            {arrived > 0 && (
              <>
                {' · '}
                <span data-testid="new-entries">
                  {arrived >= PAGE ? `${PAGE} or more` : arrived} new entr{arrived === 1 ? 'y' : 'ies'}
                </span>{' '}
                <button type="button" className="btn btn-small" onClick={() => (setSelected(null), setHovering(false))}>
                  Show them
                </button>
              </>
            )}
          </p>
        )}
        <div onMouseEnter={() => setHovering(true)} onMouseLeave={() => setHovering(false)}>
          <LogTable rows={rows} selected={selected} onSelect={setSelected} />
        </div>
        <div className="pager">
          <button type="button" className="btn" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
            <Icon name="chevronLeft" />
            Newer
          </button>
          <span className="dim">
            Page {cursors.length + 1}
            {before === undefined ? (paused ? ' · following paused' : ' · follows new entries') : ' · holds still'}
          </span>
          <button
            type="button"
            className="btn"
            disabled={!hasOlder || !rows?.length}
            onClick={() => rows?.length && setCursors([...cursors, rows[rows.length - 1]!.id])}
          >
            Older
            <Icon name="chevronRight" />
          </button>
        </div>
      </Panel>
      {selected && <LogDetail id={selected} onClose={() => setSelected(null)} />}
    </div>
  )
}
