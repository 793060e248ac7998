// The watch list at the desk: who is blocked (lost, stolen, banned: denied, with an alarm) and who
// is a VIP (let in, and announced), with the note staff see; add and remove, under your name.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { Panel, Notice, Empty } from '../../ui/Panel'
import { dateTime } from '../../ui/format'
import type { WatchKind } from '../../../../shared/venue'
import { OperatorField, useOperator } from './OperatorField'

export function WatchListPanel(): React.JSX.Element {
  const config = useLive((s) => s.versions.config)
  const { data: entries, error, reload } = useDeskQuery('watch:list', {}, { refreshOn: [config] })
  const [operator] = useOperator()
  const [credential, setCredential] = useState('')
  const [kind, setKind] = useState<WatchKind>('blocked')
  const [note, setNote] = useState('')
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)

  const add = async (): Promise<void> => {
    try {
      await call('watch:add', { credential: credential.trim(), kind, note, by: operator })
      setNotice({ kind: 'ok', text: `${credential.trim()} is on the watch list (${kind}); it applies to the next scan.` })
      setCredential('')
      setNote('')
      await reload()
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    }
  }
  const remove = async (id: number): Promise<void> => {
    try {
      await call('watch:remove', { id, by: operator })
      await reload()
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    }
  }

  return (
    <Panel
      title="Watch list"
      id="watch-list"
      actions={<span className="hint">blocked: every scan denied, with an alarm · VIP: let in and announced</span>}
    >
      {error && <Notice kind="error">{error}</Notice>}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          void add()
        }}
      >
        <label className="field">
          <span>Credential</span>
          <input
            value={credential}
            onChange={(e) => setCredential(e.target.value)}
            required
            aria-label="Credential to watch"
            autoComplete="off"
          />
        </label>
        <label className="field">
          <span>Flag</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as WatchKind)} aria-label="Watch-list flag">
            <option value="blocked">Blocked</option>
            <option value="vip">VIP / attention</option>
          </select>
        </label>
        <label className="field grow">
          <span>Note for staff</span>
          <input value={note} onChange={(e) => setNote(e.target.value)} aria-label="Note for staff" />
        </label>
        <OperatorField />
        <button type="submit" className="btn btn-primary" disabled={!credential.trim() || !operator.trim()}>
          Add to watch list
        </button>
      </form>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {entries === null ? null : entries.length === 0 ? (
        <Empty>Nobody is on the watch list.</Empty>
      ) : (
        <table className="table compact-table" data-testid="watch-list">
          <thead>
            <tr>
              <th scope="col">Flag</th>
              <th scope="col">Who</th>
              <th scope="col">Note</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((w) => (
              <tr key={w.id}>
                <td>
                  {w.kind === 'blocked' ? <strong className="denied-text">Blocked</strong> : <strong className="vip-mark">VIP</strong>}
                </td>
                <td className="mono">{w.credential ?? `${w.attendee?.name} (${w.attendee?.external_id})`}</td>
                <td>{w.note}</td>
                <td className="dim">
                  {dateTime(w.created_at)} by {w.created_by}
                  {w.until && <> · until {dateTime(w.until)}</>}
                </td>
                <td className="actions">
                  <button type="button" className="btn btn-small" disabled={!operator.trim()} onClick={() => void remove(w.id)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  )
}
