// The projects the station knows (from attendee syncs) and which one is the default: the one a
// reader without a project of its own checks credentials against. Changing it is confirmed.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { Panel, Notice, Empty } from '../../ui/Panel'
import { Icon } from '../../ui/Icon'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { count } from '../../ui/format'
import type { ProjectView } from '../../../../shared/domain'

export function ProjectsPanel(props: {
  projects: ProjectView[] | null
  readersOnDefault: number
  onChanged: (projects: ProjectView[]) => void
}): React.JSX.Element {
  const [choosing, setChoosing] = useState<ProjectView | null>(null)
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const current = props.projects?.find((p) => p.is_default) ?? null

  const makeDefault = async (p: ProjectView): Promise<void> => {
    setChoosing(null)
    try {
      const changed = await call('projects:set-default', { project: p.name })
      props.onChanged(changed.projects)
      setNotice({ kind: 'ok', text: `${p.name} is the default project now. ${changed.notice}` })
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    }
  }

  return (
    <Panel title="Projects" id="projects" actions={<span className="hint">readers without a project use the default</span>}>
      {props.projects === null ? (
        <p className="loading">Loading…</p>
      ) : props.projects.length === 0 ? (
        <Empty>No projects yet: a project appears with its first attendee sync.</Empty>
      ) : (
        <table className="table compact-table" data-testid="projects">
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col" className="num">
                Attendees
              </th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.projects.map((p) => (
              <tr key={p.id}>
                <td className="mono">{p.name}</td>
                <td className="num">{count(p.attendees)}</td>
                <td>
                  {p.is_default && (
                    <span className="badge role-default">
                      <Icon name="check" size={16} />
                      Default
                    </span>
                  )}
                  {p.is_cvent && <span className="dim">{p.is_default ? ' · ' : ''}Cvent check-ins</span>}
                </td>
                <td className="actions">
                  {!p.is_default && (
                    <button type="button" className="btn btn-small" onClick={() => setChoosing(p)}>
                      Make default
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {choosing && (
        <ConfirmDialog
          open
          title={`Make ${choosing.name} the default project?`}
          confirmLabel="Make default"
          onCancel={() => setChoosing(null)}
          onConfirm={() => void makeDefault(choosing)}
        >
          <p>
            From the next scan, {props.readersOnDefault === 1 ? 'the reader' : `the ${props.readersOnDefault} readers`} without a project of
            their own check credentials against the {count(choosing.attendees)} attendees of <strong>{choosing.name}</strong>
            {current ? <>, no longer against {current.name}</> : null}.
          </p>
          {current?.is_cvent && (
            <p>
              New Cvent registrations go to {choosing.name} too; registrations already received stay in the project they were created in.
            </p>
          )}
        </ConfirmDialog>
      )}
    </Panel>
  )
}
