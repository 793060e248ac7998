// Readers and projects: per reader enabled, project, allowed attendee types and anti-passback;
// the default project. Readers come from the live picture, so a new one appears as it is seen.
import { useMemo, useState } from 'react'
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { Panel, Empty, Notice } from '../../ui/Panel'
import { Icon } from '../../ui/Icon'
import { TEST_GATEWAY_ID } from '../../../../shared/domain'
import { ProjectsPanel } from './ProjectsPanel'
import { ReaderSettingsRow } from './ReaderSettingsRow'

export function ReadersAdmin(): React.JSX.Element {
  const gateways = useLive((s) => s.gateways)
  const unassigned = useLive((s) => s.unassigned)
  const syncVersion = useLive((s) => s.versions.sync)
  const projectsQuery = useDeskQuery('projects:list', {}, { refreshOn: [syncVersion] })
  const { data: projects, error } = projectsQuery
  const [filter, setFilter] = useState('')

  const readers = useMemo(
    () => [...(gateways ?? []).flatMap((g) => g.readers), ...(unassigned ?? [])].filter((r) => !r.reader_id.startsWith(TEST_GATEWAY_ID)),
    [gateways, unassigned],
  )
  const needle = filter.trim().toLowerCase()
  const shown = needle
    ? readers.filter((r) => r.reader_id.toLowerCase().includes(needle) || (r.gateway_id ?? '').toLowerCase().includes(needle))
    : readers
  const defaultProject = projects?.find((p) => p.is_default)?.name ?? null
  const disabled = readers.filter((r) => !r.enabled).length

  return (
    <div className="stack" data-testid="readers-admin">
      {error && <Notice kind="error">Could not load the projects: {error}</Notice>}
      <Panel
        title="Readers"
        id="reader-settings"
        actions={
          <>
            <span className="hint">
              {readers.length} reader{readers.length === 1 ? '' : 's'}
              {disabled > 0 ? ` · ${disabled} disabled` : ''}
            </span>
            <label className="search">
              <Icon name="search" />
              <input
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                placeholder="Reader or gateway"
                aria-label="Filter readers"
              />
            </label>
          </>
        }
      >
        {readers.length === 0 ? (
          <Empty>
            No readers yet. A reader appears here when its gateway reports it or its first scan arrives; then it can be configured.
          </Empty>
        ) : (
          <div className="table-scroll">
            <table className="table reader-table">
              <thead>
                <tr>
                  <th scope="col">Reader</th>
                  <th scope="col">Enabled</th>
                  <th scope="col">Project</th>
                  <th scope="col">Attendee types</th>
                  <th scope="col">Anti-passback (s)</th>
                  <th scope="col">Zone and direction</th>
                  <th scope="col">Open hours</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <ReaderSettingsRow key={r.reader_id} reader={r} projects={projects ?? []} defaultProject={defaultProject} />
                ))}
              </tbody>
            </table>
            {shown.length === 0 && <Empty>No reader matches “{filter}”.</Empty>}
          </div>
        )}
        <p className="hint setting-explain">
          A disabled reader denies every scan. Attendee types limit who may pass (empty: everyone). Anti-passback denies a second entry by
          the same attendee at the same reader within that many seconds (empty: off).
        </p>
      </Panel>
      <ProjectsPanel
        projects={projects}
        readersOnDefault={readers.filter((r) => r.project === null).length}
        onChanged={projectsQuery.replace}
      />
    </div>
  )
}
