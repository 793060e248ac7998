// One reader in the admin table: enabled (disabling is confirmed), project, allowed attendee types
// and anti-passback, saved together. Until edited, the row follows the station's live values.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { HealthBadge } from '../../ui/Badges'
import { Switch } from '../../ui/Switch'
import { Icon } from '../../ui/Icon'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import type { ProjectView, ReaderView } from '../../../../shared/domain'
import type { CommandInput } from '../../../../shared/contract'
import { draftOf, parseAntiPassback, parseTypes, sameDraft, type ReaderDraft } from './reader-form'

export function ReaderSettingsRow({
  reader: r,
  projects,
  defaultProject,
}: {
  reader: ReaderView
  projects: ProjectView[]
  defaultProject: string | null
}): React.JSX.Element {
  const [draft, setDraft] = useState<ReaderDraft | null>(null)
  const [confirmDisable, setConfirmDisable] = useState(false)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const form = draft ?? draftOf(r)
  // Once the station's values match the edit (after a save), the row follows the station again
  // (adjusted while rendering, as React advises for state derived from a changed prop).
  const [seen, setSeen] = useState(r)
  if (seen !== r) {
    setSeen(r)
    if (draft && sameDraft(draft, draftOf(r))) setDraft(null)
  }
  const dirty = draft !== null && !sameDraft(draft, draftOf(r))
  const types = parseTypes(form.types)
  const passback = parseAntiPassback(form.antiPassback)
  const formId = `reader-form-${r.reader_id}`
  const edit = (k: keyof ReaderDraft) => (ev: { target: { value: string } }) => setDraft({ ...form, [k]: ev.target.value })

  /** The switch shows an enable/disable by itself; a save says so (`done`). */
  const configure = async (
    change: Omit<CommandInput<'readers:configure'>, 'reader_id'>,
    done: string | null,
  ): Promise<ReaderView | null> => {
    setBusy(true)
    try {
      const view = await call('readers:configure', { reader_id: r.reader_id, ...change })
      setMessage(done === null ? null : { kind: 'ok', text: done })
      return view
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) })
      return null
    } finally {
      setBusy(false)
    }
  }
  const save = async (): Promise<void> => {
    if (!types.ok || !passback.ok) return
    const saved = await configure(
      {
        project: form.project || null,
        allowed_types: types.value,
        anti_passback_seconds: passback.value,
        zone: form.zone.trim() || null,
        direction: form.direction,
        open_windows: form.hours.trim() || null,
      },
      'Saved',
    )
    // Shown as the station stored it until its live update arrives (then the effect above lets go).
    if (saved) setDraft(draftOf(saved))
  }
  const setEnabled = async (enabled: boolean): Promise<void> => {
    setConfirmDisable(false)
    await configure({ enabled }, null)
  }
  const errorId = `${formId}-error`
  const invalid = !types.ok || !passback.ok

  return (
    <tr className={r.enabled ? undefined : 'row-disabled'} data-testid={`reader-settings-${r.reader_id}`}>
      <th scope="row">
        <span className="reader-id">{r.reader_id}</span>
        <span className="cell-sub dim">
          {r.gateway_id ?? 'no gateway'} · <HealthBadge health={r.health} />
        </span>
      </th>
      <td>
        <Switch
          label={`Reader ${r.reader_id} enabled`}
          checked={r.enabled}
          busy={busy}
          hideLabel
          onChange={(next) => (next ? void setEnabled(true) : setConfirmDisable(true))}
          testId={`reader-enabled-${r.reader_id}`}
        />
      </td>
      <td>
        <select form={formId} value={form.project} onChange={edit('project')} aria-label={`Project for ${r.reader_id}`}>
          <option value="">Default{defaultProject ? ` (${defaultProject})` : ''}</option>
          {projects.map((p) => (
            <option key={p.id} value={p.name}>
              {p.name}
            </option>
          ))}
          {form.project !== '' && !projects.some((p) => p.name === form.project) && <option value={form.project}>{form.project}</option>}
        </select>
      </td>
      <td>
        <input
          form={formId}
          value={form.types}
          onChange={edit('types')}
          placeholder="all types"
          aria-label={`Attendee types allowed at ${r.reader_id} (comma-separated)`}
          aria-invalid={!types.ok}
          aria-describedby={invalid ? errorId : undefined}
          className="types-input"
          autoComplete="off"
          spellCheck={false}
        />
      </td>
      <td>
        <input
          form={formId}
          value={form.antiPassback}
          onChange={edit('antiPassback')}
          placeholder="off"
          inputMode="numeric"
          aria-label={`Anti-passback seconds at ${r.reader_id}`}
          aria-invalid={!passback.ok}
          aria-describedby={invalid ? errorId : undefined}
          className="seconds-input"
          autoComplete="off"
        />
      </td>
      <td>
        <input
          form={formId}
          value={form.zone}
          onChange={edit('zone')}
          placeholder="none"
          aria-label={`Zone of ${r.reader_id}`}
          className="types-input"
          autoComplete="off"
        />
        <select form={formId} value={form.direction} onChange={edit('direction')} aria-label={`Direction of ${r.reader_id}`}>
          <option value="entry">entry</option>
          <option value="exit">exit</option>
          <option value="both">both ways</option>
        </select>
      </td>
      <td>
        <input
          form={formId}
          value={form.hours}
          onChange={edit('hours')}
          placeholder="always"
          aria-label={`Opening hours of ${r.reader_id} (HH:MM-HH:MM, 24-hour)`}
          className="types-input"
          autoComplete="off"
          spellCheck={false}
        />
      </td>
      <td className="actions">
        <form
          id={formId}
          className={`row-actions${dirty ? '' : ' is-clean'}`}
          onSubmit={(ev) => {
            ev.preventDefault()
            void save()
          }}
        >
          <button type="submit" className="btn btn-small btn-primary" disabled={!dirty || invalid || busy}>
            <Icon name="check" size={16} />
            Save
          </button>
          <button type="button" className="btn btn-small" disabled={!dirty || busy} onClick={() => (setDraft(null), setMessage(null))}>
            Reset
          </button>
        </form>
        <span className="row-message" aria-live="polite" id={errorId}>
          {!types.ok ? (
            <span className="field-error">✖ {types.error}</span>
          ) : !passback.ok ? (
            <span className="field-error">✖ {passback.error}</span>
          ) : null}
          {message && !invalid && <span className={message.kind === 'error' ? 'field-error' : 'ok-text'}>{message.text}</span>}
        </span>
        {confirmDisable && (
          <ConfirmDialog
            open
            title={`Disable reader ${r.reader_id}?`}
            confirmLabel="Disable reader"
            danger
            onCancel={() => setConfirmDisable(false)}
            onConfirm={() => void setEnabled(false)}
          >
            <p>
              Every scan at <strong>{r.reader_id}</strong> will be <strong>denied</strong> (reason: Reader disabled) until it is enabled
              again, whatever the credential.
            </p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  )
}
