// The station's run-time settings (gateway timeout, retention, budgets…): the value in use, where
// it comes from ("set by GATEHOUSE_…" when an environment variable overrides the store), and an
// admin's change to one. The station parses the value (the same parser as the CLI's).
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { Panel, Notice } from '../../ui/Panel'
import { count } from '../../ui/format'
import { parseRuntimeSetting, type RuntimeSettingName, type RuntimeSettingView } from '../../../../shared/runtime-settings'

const sourceText = (s: RuntimeSettingView): string =>
  s.source === 'env' ? `set by ${s.env_var}` : s.source === 'store' ? 'stored' : s.source === 'option' ? 'start option' : 'default'

export function RuntimeSettingsPanel(): React.JSX.Element {
  const configVersion = useLive((s) => s.versions.config)
  const q = useDeskQuery('settings:list', {}, { refreshOn: [configVersion] })
  const [drafts, setDrafts] = useState<Partial<Record<RuntimeSettingName, string>>>({})
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)

  const save = async (s: RuntimeSettingView, text: string): Promise<void> => {
    // Empty: back to the default. The station parses it again with the same parser.
    const parsed = text.trim() === '' ? null : parseRuntimeSetting(s.name, text)
    if (parsed && !parsed.ok) {
      setNotice({ kind: 'error', text: parsed.message })
      return
    }
    try {
      const after = await call('settings:set', { name: s.name, value: parsed ? parsed.value : null })
      setDrafts((d) => ({ ...d, [s.name]: undefined }))
      setNotice({ kind: 'ok', text: `${s.name}: ${after.note ?? `${count(after.value)} ${after.unit} in use`}` })
      await q.reload()
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    }
  }

  return (
    <Panel
      title="Station settings"
      id="runtime-settings"
      actions={<span className="hint">shared by the station, the desk and the CLI</span>}
    >
      {q.data === null ? (
        <p className="loading">{q.error ?? 'Loading…'}</p>
      ) : (
        <table className="table compact-table runtime-settings-table" data-testid="runtime-settings">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col" className="num">
                In use
              </th>
              <th scope="col">From</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {q.data.settings.map((s) => {
              const draft = drafts[s.name]
              return (
                <tr key={s.name} data-setting={s.name}>
                  <td>
                    <span className="mono">{s.name}</span>
                    <div className="hint">{s.label}</div>
                  </td>
                  <td className="num" data-testid="setting-value">
                    {count(s.value)} {s.unit}
                  </td>
                  <td data-testid="setting-source">
                    <span className={s.source === 'env' ? 'badge env-override' : 'dim'}>{sourceText(s)}</span>
                    {s.source === 'env'
                      ? s.stored !== null && <div className="hint">stored {count(s.stored)}: not used while the variable is set</div>
                      : s.note && <div className="hint">{s.note}</div>}
                  </td>
                  <td>
                    <form
                      className="setting-form"
                      onSubmit={(e) => {
                        e.preventDefault()
                        void save(s, draft ?? '')
                      }}
                    >
                      <input
                        className="setting-input"
                        inputMode="numeric"
                        aria-label={`New value for ${s.name} (empty: default ${s.default})`}
                        placeholder={String(s.stored ?? s.default)}
                        value={draft ?? ''}
                        onChange={(e) => setDrafts((d) => ({ ...d, [s.name]: e.target.value }))}
                      />
                      <button type="submit" className="btn btn-small" disabled={draft === undefined}>
                        Save
                      </button>
                    </form>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <p className="hint">
        An environment variable wins over the stored value. The gateway timeout applies at once; the others at the station’s next start.
      </p>
    </Panel>
  )
}
