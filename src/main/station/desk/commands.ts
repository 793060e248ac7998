// The desk's commands, implemented once over the station and served by both transports
// (Electron IPC and the browser-mode WebSocket). Input is validated here whatever the caller.
import { randomUUID } from 'node:crypto'
import { SNAPSHOT_REFUSED_LIMIT, type Overview, type SecretSummary, type WebhookEndpointView } from '../../../shared/contract'
import { ENDPOINTS, endpointPath, type EndpointName } from '../../../shared/webhooks'
import { normalizeClientAddress, parseAllowlistEntry } from '../../../shared/allowlist'
import { AllowlistInputError, AllowlistWouldOpenError } from '../store/allowlist'
import { SecretOverriddenError, type SecretInfo } from '../secrets'
import { SIGNATURE_HEADER, signatureHeaderValue } from '../receiver/signature'
import { createSourceGuard } from '../receiver/source-guard'
import { createAllowlistPreview } from '../access/allowlist-preview'
import { DEFAULT_BODY_LIMIT } from '../receiver/app'
import type { Station } from '../station'
import { TEST_GATEWAY_ID } from '../../../shared/domain'
import { curlFor } from './log-export'
import { runReaderCommand } from './desk-reads'
import { DeskError } from './errors'
import { ConflictResolutionError } from '../access/credential-conflicts'
import { createSecurityDeskCommands, httpsBaseUrls } from './security-commands'
import { createSettingsDeskCommands } from './settings-commands'
import { createVenueDeskCommands } from './venue-commands'
import { OpenWindowsError, parseOpenWindows } from '../venue/open-windows'
import { VenueInputError } from '../venue/venue-admin'
import { createNotifyDeskCommands } from './notify-commands'
import { createAlertDeskCommands } from './alert-commands'
import { createSessionDeskCommands } from './session-commands'
import type { DeskCommandDeps, DeskCommands } from './command-types'

export { DeskError }
export { runDeskCommand } from './run-command'
export type { DeskCommandDeps, DeskCommands } from './command-types'

const mask = (secret: string): string =>
  secret.length <= 12 ? '•'.repeat(secret.length) : `${secret.slice(0, 4)}${'•'.repeat(8)}${secret.slice(-4)}`

const summary = (i: SecretInfo): SecretSummary => ({
  masked: mask(i.secret),
  origin: i.origin,
  env_var: i.env_var,
  created_at: i.created_at,
  previous_valid_until: i.previous_valid_until,
})

/** How far back a refused entry may still be growing: an aggregate is rewritten through its minute (and a failed flush is retried). */
const REFUSED_GROWS_MS = 5 * 60_000

function localMidnight(now: number): number {
  const d = new Date(now)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

function testPayload(endpoint: EndpointName, station: Station): unknown {
  const now = new Date().toISOString()
  switch (endpoint) {
    case 'mqtt-gateway-status':
      return { gateway_id: TEST_GATEWAY_ID, status: 'online', readers: [], timestamp: now }
    case 'access-event':
      return { reader_id: `${TEST_GATEWAY_ID}-READER`, credential_value: 'GATEHOUSE-TEST-CREDENTIAL', scan_type: 'test', timestamp: now }
    case 'cvent':
      return {
        event_type: 'registration.updated',
        event_id: `gatehouse-test-${randomUUID()}`,
        data: { registration_id: 'GATEHOUSE-TEST', attendee: { first_name: 'Gatehouse', last_name: 'Test' } },
        timestamp: now,
      }
    case 'attendee-sync': {
      // An empty update batch: proves signature and allowlist without touching any attendee.
      // The timestamp (ignored by the sync) keeps each test distinct for the replay guard.
      const project = station.access.projects.list().find((p) => p.is_default)
      return {
        team_slug: project?.team_slug ?? 'default',
        project_slug: project?.project_slug ?? 'default',
        sync_mode: 'update',
        attendees: [],
        timestamp: now,
      }
    }
  }
}

export function createDeskCommands(deps: DeskCommandDeps): DeskCommands {
  const { station } = deps
  const { access, queue } = station
  const startedAt = deps.startedAt ?? Date.now()
  const preview = createAllowlistPreview(station.db)

  const findProject = (name: string): number => {
    const id = access.projects.find(name)
    if (id === undefined) throw new DeskError('NOT_FOUND', `No project "${name}"`)
    return id
  }

  /** Runs an allowlist change, applies it to the receiver at once, and words its refusals for the desk. */
  async function allowlistEdit<T>(edit: () => Promise<T>): Promise<T> {
    try {
      const result = await edit()
      station.reloadAllowlist()
      station.hub.emit('config:changed', { what: 'allowlist' })
      return result
    } catch (err) {
      if (err instanceof AllowlistInputError) throw new DeskError('INVALID_INPUT', err.message)
      if (err instanceof AllowlistWouldOpenError) {
        throw new DeskError(
          'CONFIRMATION_REQUIRED',
          `This leaves ${endpointPath(err.endpoint)} with no allowlist entries: it would then accept requests from any source address. Confirm to go ahead.`,
        )
      }
      throw err
    }
  }

  const endpointView = (endpoint: EndpointName): WebhookEndpointView => ({
    endpoint,
    path: endpointPath(endpoint),
    urls: deps.receiverUrls().map((base) => `${base}${endpointPath(endpoint)}`),
    signature_header: endpoint === 'cvent' ? 'X-Cvent-Signature' : 'X-GxP-Signature',
    secret: summary(station.secrets.info(endpoint)),
    allowlist: station.allowlist.list(endpoint),
    body_limit_bytes: endpoint === 'attendee-sync' ? station.config.syncBodyLimitBytes : DEFAULT_BODY_LIMIT,
    https_urls: httpsBaseUrls(station).map((base) => `${base}${endpointPath(endpoint)}`),
    replay_guard: station.replay.config()[endpoint],
  })

  const readSnapshot = station.db.transaction((): Overview => {
    const now = Date.now()
    const today = localMidnight(now)
    const { gateways, unassigned } = access.gateways.list(now)
    const c = access.decisions.counts(today)
    const total = c.granted + c.denied
    const fault = access.storeFault()
    const recent = access.decisions.recent(0, 100)
    return {
      station: {
        started_at: new Date(startedAt).toISOString(),
        data_dir: station.dataDir,
        receiver_urls: deps.receiverUrls(),
        store_fault: fault?.message ?? null,
        gateway_timeout_seconds: station.config.gatewayTimeoutSeconds,
        today_since: today,
      },
      gateways,
      unassigned_readers: unassigned,
      counters: { entries_today: c.granted, denials_today: c.denied, denial_rate: total === 0 ? 0 : c.denied / total },
      open_alerts: access.openAlerts(),
      recent_decisions: recent,
      scans_per_minute: access.decisions.perMinute(now - 3600_000),
      requests_by_status: station.log.statusCounts(now - 3600_000),
      zones: station.venue.zones(),
      lockdowns: station.venue.lockdowns(),
      watermark: {
        decision_id: recent[0]?.id ?? 0,
        log_id: station.log.newestId(),
        refused_counts: station.log.refusedCounts(now - REFUSED_GROWS_MS, SNAPSHOT_REFUSED_LIMIT),
      },
    }
  })

  return {
    // One read transaction: the figures and the watermark are of the same moment, so the desk
    // counts each decision and request once (another process's commit cannot fall between them).
    'overview:get': (): Overview => readSnapshot(),
    'decisions:recent': ({ limit }) => access.decisions.recent(0, limit),
    'webhooks:list': () => ENDPOINTS.map(endpointView),
    'secret:reveal': ({ endpoint }) => ({ secret: station.secrets.info(endpoint).secret }),
    'secret:rotate': ({ endpoint, grace_hours }) => {
      try {
        const info = station.secrets.rotate(endpoint, grace_hours * 3600_000)
        station.hub.emit('config:changed', { what: 'secrets' })
        return summary(info)
      } catch (err) {
        if (err instanceof SecretOverriddenError) throw new DeskError('SECRET_FROM_ENV', err.message)
        throw err
      }
    },
    'allowlist:add': async ({ endpoint, entry, label }) => {
      try {
        const added = await queue.enqueue(() => station.allowlist.add(endpoint, entry, label))
        station.reloadAllowlist()
        station.hub.emit('config:changed', { what: 'allowlist' })
        return added
      } catch (err) {
        if (err instanceof AllowlistInputError) throw new DeskError('INVALID_INPUT', err.message)
        throw err
      }
    },
    'allowlist:remove': ({ endpoint, id, open }) =>
      allowlistEdit(async () => ({ removed: await queue.enqueue(() => station.allowlist.remove(endpoint, id, { open })) })),
    // One commit: the receiver sees the old list or the new one, never an empty one in between.
    'allowlist:set': ({ endpoint, entries, open }) =>
      allowlistEdit(() => queue.enqueue(() => station.allowlist.replace(endpoint, entries, { open }))),
    'allowlist:preview': ({ endpoint, entries }) => {
      const canonical: string[] = []
      for (const text of entries) {
        const parsed = parseAllowlistEntry(text)
        if (!parsed.ok) throw new DeskError('INVALID_INPUT', parsed.error)
        canonical.push(parsed.value.entry)
      }
      return { entries: canonical, locked_out: preview.lockedOut(endpoint, canonical) }
    },
    'allowlist:test': ({ endpoint, address }) => {
      const parsed = parseAllowlistEntry(address)
      if (!parsed.ok || parsed.value.prefix !== (parsed.value.family === 'ipv4' ? 32 : 128)) {
        throw new DeskError('INVALID_INPUT', parsed.ok ? 'Enter a single address, not a range' : parsed.error)
      }
      const entries = station.allowlist.list(endpoint)
      if (entries.length === 0)
        return { allowed: true, address: parsed.value.address, matched: null, reason: 'The allowlist is empty: any source is allowed' }
      const guard = createSourceGuard()
      guard.load(entries)
      const verdict = guard.check(endpoint, normalizeClientAddress(parsed.value.address))
      const matched = verdict.allowed ? (entries.find((e) => e.id === verdict.entryId) ?? null) : null
      return {
        allowed: verdict.allowed,
        address: parsed.value.address,
        matched,
        reason: matched ? `Allowed by ${matched.entry}${matched.label ? ` (${matched.label})` : ''}` : 'Refused with 403: no entry matches',
      }
    },
    'webhooks:send-test': async ({ endpoint }) => {
      const body = JSON.stringify(testPayload(endpoint, station))
      const scheme = endpoint === 'cvent' ? 'cvent' : 'gxp'
      const key = station.secrets.info(endpoint).secret
      const res = await station.receiver.inject({
        method: 'POST',
        url: endpointPath(endpoint),
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER[scheme]]: signatureHeaderValue(scheme, key, body),
          'user-agent': 'gatehouse-desk-test',
        },
        payload: body,
        remoteAddress: '127.0.0.1',
      })
      const latest = station.log.query({ endpoint: endpointPath(endpoint), limit: 1 })[0]
      return { status: res.statusCode, body: res.body, log_id: latest?.id ?? null }
    },
    'logs:query': (filter) => station.log.query(filter),
    'logs:get': ({ id }) => {
      const entry = station.log.get(id)
      if (!entry) throw new DeskError('NOT_FOUND', `No log entry ${id}`)
      return entry
    },
    'logs:curl': ({ id, base_url }) => {
      const entry = station.log.get(id)
      if (!entry) throw new DeskError('NOT_FOUND', `No log entry ${id}`)
      return curlFor(entry, base_url ?? deps.receiverUrls()[0] ?? 'http://127.0.0.1:8787', (e) => station.secrets.info(e).secret)
    },
    'logs:export': (input) =>
      runReaderCommand(station.log, { id: 0, command: 'logs:export', input }) as ReturnType<DeskCommands['logs:export']>,
    'attendees:search': ({ query, limit, offset }) => {
      const counts = access.attendees.counts()
      return {
        attendees: access.attendees.search(query, limit, offset),
        total: counts.n,
        cancelled: counts.cancelled,
        checked_in: counts.checked_in,
        entered_today: access.decisions.enteredSince(localMidnight(Date.now())),
      }
    },
    'projects:list': () => access.projects.list(),
    'projects:set-default': async ({ project }) => {
      const id = findProject(project)
      await queue.enqueue(() => access.projects.setDefault(id))
      return { projects: access.projects.list(), notice: access.projects.changeNotice('default', id) }
    },
    'credentials:conflicts': () => access.conflicts.open(),
    'credentials:resolve': async ({ project, credential, keep, by }) => {
      try {
        return await access.resolveConflict(project, credential, keep, by)
      } catch (err) {
        if (err instanceof ConflictResolutionError) throw new DeskError('NOT_FOUND', err.message)
        throw err
      }
    },
    'readers:configure': async ({ reader_id, project, zone, direction, open_windows, ...rest }) => {
      const projectId = project === undefined ? undefined : project === null ? null : findProject(project)
      let windows
      try {
        windows = open_windows === undefined ? undefined : open_windows === null ? null : parseOpenWindows(open_windows)
      } catch (err) {
        if (err instanceof OpenWindowsError) throw new DeskError('INVALID_INPUT', err.message)
        throw err
      }
      if (zone !== undefined || direction !== undefined || windows !== undefined) {
        await station.venue.placeReader(reader_id, { zone, direction, open_windows: windows }).catch((err: unknown) => {
          throw err instanceof VenueInputError ? new DeskError('NOT_FOUND', err.message) : err
        })
      }
      const row = await queue.enqueue(() => access.gateways.configureReader(reader_id, { ...rest, project_id: projectId }))
      if (!row) throw new DeskError('NOT_FOUND', `No reader "${reader_id}" has been seen yet`)
      const view = access.gateways.readerView(row)
      const gw = access.gateways.gatewayOfReader(row)
      if (gw) station.hub.emit('gateway:changed', gw)
      else station.hub.emit('reader:changed', view)
      return view
    },
    ...createSecurityDeskCommands(deps),
    ...createSettingsDeskCommands(deps),
    ...createVenueDeskCommands(deps),
    ...createNotifyDeskCommands(deps),
    ...createAlertDeskCommands(deps),
    ...createSessionDeskCommands(deps),
  }
}
