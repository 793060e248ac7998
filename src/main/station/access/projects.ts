// Teams and projects (from team_slug/project_slug), the default project and the Cvent project.
import type { Db } from '../store/db'
import type { SettingsStore } from '../store/settings'
import type { ProjectView } from '../../../shared/domain'

export const DEFAULT_TEAM = 'default'
export const DEFAULT_PROJECT = 'default'

interface ProjectRow {
  id: number
  team_slug: string
  project_slug: string
  attendees: number
}

export type Projects = ReturnType<typeof createProjects>

export function createProjects(db: Db, settings: SettingsStore) {
  const team = db.prepare<[string, number], { id: number }>(
    'INSERT INTO teams (slug, created_at) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE SET slug = slug RETURNING id',
  )
  const project = db.prepare<[number, string, number], { id: number }>(
    'INSERT INTO projects (team_id, slug, created_at) VALUES (?, ?, ?) ON CONFLICT (team_id, slug) DO UPDATE SET slug = slug RETURNING id',
  )
  const list = db.prepare<[], ProjectRow>(
    `SELECT p.id, t.slug AS team_slug, p.slug AS project_slug,
            (SELECT count(*) FROM attendees a WHERE a.project_id = p.id) AS attendees
     FROM projects p JOIN teams t ON t.id = p.team_id ORDER BY p.id`,
  )
  const byId = db.prepare<[number], { id: number; name: string }>(
    "SELECT p.id, t.slug || '/' || p.slug AS name FROM projects p JOIN teams t ON t.id = p.team_id WHERE p.id = ?",
  )
  const byName = db.prepare<[string, string], { id: number }>(
    'SELECT p.id FROM projects p JOIN teams t ON t.id = p.team_id WHERE t.slug = ? AND p.slug = ?',
  )
  const registrations = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM cvent_registrations')
  const names = new Map<number, string>()
  // Read on every scan: cached, dropped when this process or another (the CLI) changes settings.
  let defaultCache: number | null | undefined

  function ensure(teamSlug: string, projectSlug: string): number {
    const found = byName.get(teamSlug, projectSlug)
    if (found) return found.id
    const now = Date.now()
    const id = project.get(team.get(teamSlug, now)!.id, projectSlug, now)!.id
    // The first project the station learns of becomes the default one.
    if (settings.get<number | null>('default_project_id', null) === null) {
      settings.set('default_project_id', id)
      defaultCache = undefined
    }
    return id
  }

  const self = {
    ensure,
    /** `team/project` of a project id (cached: projects are never renamed). */
    name(id: number | null): string | null {
      if (id === null) return null
      let n = names.get(id)
      if (n === undefined) {
        n = byId.get(id)?.name
        if (n === undefined) return null
        names.set(id, n)
      }
      return n
    },
    /** Resolves `team/project` (or a bare project slug of the default team) to an id. */
    find(name: string): number | undefined {
      const [a, b] = name.includes('/') ? name.split('/', 2) : [DEFAULT_TEAM, name]
      return byName.get(a!, b!)?.id
    },
    defaultId(): number | null {
      if (defaultCache === undefined) defaultCache = settings.get<number | null>('default_project_id', null)
      return defaultCache
    },
    /** Forgets cached settings (another process may have changed them). */
    invalidate(): void {
      defaultCache = undefined
    },
    /** The default project, created as default/default when the station knows none yet. */
    defaultOrCreate(): number {
      return self.defaultId() ?? ensure(DEFAULT_TEAM, DEFAULT_PROJECT)
    },
    setDefault(id: number): void {
      settings.set('default_project_id', id)
      defaultCache = undefined
    },
    cventId(): number {
      return settings.get<number | null>('cvent_project_id', null) ?? self.defaultOrCreate()
    },
    setCvent(id: number | null): void {
      settings.set('cvent_project_id', id)
    },
    /**
     * What a change of the default or Cvent project means, in words for the operator: it affects
     * new Cvent registrations only; those already received keep the project they were created in.
     */
    changeNotice(change: 'default' | 'cvent', id: number): string {
      const name = self.name(id) ?? String(id)
      const n = registrations.get()!.n
      const kept =
        n === 0
          ? ''
          : n === 1
            ? ' The Cvent registration already received stays in the project it was created in.'
            : ` The ${n} Cvent registrations already received stay in the projects they were created in.`
      const cventFollows = settings.get<number | null>('cvent_project_id', null) === null
      if (change === 'cvent') return `New Cvent registrations go to ${name}.${kept}`
      return `Readers without a project of their own now check credentials against ${name}.${cventFollows ? ` New Cvent registrations go there too.${kept}` : ''}`
    },
    list(): ProjectView[] {
      const def = self.defaultId()
      const cvent = settings.get<number | null>('cvent_project_id', null) ?? def
      return list.all().map((r) => ({
        ...r,
        name: `${r.team_slug}/${r.project_slug}`,
        is_default: r.id === def,
        is_cvent: r.id === cvent,
      }))
    },
  }
  return self
}
