// Notifications off the desk, as the station and the CLI use them: the targets an admin manages
// (add, remove, filter, reveal, test) and, in the station only, the sender that delivers the outbox.
import { randomUUID } from 'node:crypto'
import type { Db } from '../store/db'
import type { CommitQueue } from '../store/commit-queue'
import type { Hub } from '../hub'
import type { Alerts } from '../access/alerts'
import type { Sealer } from '../secrets'
import type { StationEvents } from '../../../shared/events'
import type { NotifyTargetView, NotifyTestResult } from '../../../shared/notify'
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from './backoff'
import { postJson } from './http-post'
import { maskSecret, newWebhookSecret, signatureHeaders } from './standard-webhooks'
import { testNotification } from './payload'
import { loadSystemTrustStore, type TrustStore } from './trust-store'
import { createOutbox } from './outbox'
import { createTargetStore, type TargetRow } from './targets'
import { createTargetSecrets } from './target-secrets'
import { startSender, type Sender } from './sender'

export { TargetNameTakenError, TooManyTargetsError } from './targets'

export interface NotifyOptions {
  /** When failed deliveries are tried again (tests shorten it). */
  schedule?: RetrySchedule
  /** Deadline of one attempt: connect, TLS, answer (default 15 s, the spec's lower bound). */
  timeoutMs?: number
  /** How often the sender looks for due deliveries and changes written by other processes. */
  tickMs?: number
  /** How long a target fails before `notification_failing` is raised (default 1 h). */
  failingAlertAfterMs?: number
  /** The CAs HTTPS targets are checked against (default: the operating system's). */
  trust?: TrustStore
  /** Targets being called at once, at most. */
  maxConcurrent?: number
  /** Finished deliveries are kept this long for the record (default 7 days). */
  retainMs?: number
  now?: () => number
}

export interface NotifyDeps {
  db: Db
  queue: CommitQueue
  hub: Hub<StationEvents>
  alerts: Alerts
  dataDir: string
  sealer?: Sealer
}

export const DEFAULT_NOTIFY_TIMEOUT_MS = 15_000

export type Notify = ReturnType<typeof createNotify>

export function createNotify(deps: NotifyDeps, options: NotifyOptions = {}) {
  const targets = createTargetStore(deps.db)
  const outbox = createOutbox(deps.db)
  const secrets = createTargetSecrets({ dataDir: deps.dataDir, sealer: deps.sealer })
  const now = options.now ?? Date.now
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS
  let trust = options.trust
  const trustStore = (): TrustStore => (trust ??= loadSystemTrustStore())
  let sender: Sender | null = null

  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
  function view(t: TargetRow, counts = targets.counts()): NotifyTargetView {
    let masked = 'missing'
    try {
      const secret = secrets.get(t.secret_ref)
      if (secret) masked = maskSecret(secret)
    } catch {
      masked = 'unreadable'
    }
    const c = counts.get(t.id)
    return {
      id: t.id,
      name: t.name,
      kind: t.kind,
      url: t.url,
      min_priority: t.min_priority,
      secret_masked: masked,
      created_at: iso(t.created_at)!,
      last_attempt_at: iso(t.last_attempt_at),
      last_success_at: iso(t.last_success_at),
      last_status: t.last_status,
      last_error: t.last_error,
      failing_since: iso(t.failing_since),
      pending: c?.pending ?? 0,
      given_up: c?.given_up ?? 0,
    }
  }

  return {
    targets,
    outbox,
    secrets,
    trust: trustStore,
    list: (): NotifyTargetView[] => {
      const counts = targets.counts()
      return targets.all().map((t) => view(t, counts))
    },
    get: (id: number): NotifyTargetView | undefined => {
      const t = targets.get(id)
      return t ? view(t) : undefined
    },
    find: (nameOrId: string): TargetRow | undefined =>
      targets.byName(nameOrId) ?? (/^\d+$/.test(nameOrId) ? targets.get(Number(nameOrId)) : undefined),
    /** Adds a target with a new `whsec_` secret (input already validated by the caller's schema). */
    async add(input: { name: string; url: string; min_priority: number }): Promise<NotifyTargetView> {
      // The secret is written first: a target row never exists without its secret.
      const ref = randomUUID()
      secrets.put(ref, newWebhookSecret())
      try {
        const row = await deps.queue.enqueue(() => targets.add(input.name, input.url, ref, input.min_priority, now()))
        sender?.kick()
        return view(row)
      } catch (err) {
        secrets.remove(ref)
        throw err
      }
    },
    /** Removes a target and the deliveries waiting for it; its failing alert resolves with it. */
    async remove(id: number): Promise<NotifyTargetView | undefined> {
      const t = targets.get(id)
      if (!t) return undefined
      const shown = view(t)
      const removed = await deps.queue.enqueue(() => targets.remove(id))
      if (!removed) return undefined
      secrets.remove(removed.secret_ref)
      sender?.kick()
      return shown
    },
    async setMinPriority(id: number, minPriority: number): Promise<NotifyTargetView | undefined> {
      const row = await deps.queue.enqueue(() => targets.setMinPriority(id, minPriority))
      return row ? view(row) : undefined
    },
    reveal: (id: number): string | undefined => {
      const t = targets.get(id)
      return t ? secrets.get(t.secret_ref) : undefined
    },
    /**
     * Sends a signed `notification.test` now and waits for the answer. A success proves the target
     * works: it counts as healthy again and what waits for it goes at once.
     */
    async test(id: number): Promise<NotifyTestResult | undefined> {
      const t = targets.get(id)
      if (!t) return undefined
      const secret = secrets.get(t.secret_ref)
      if (!secret)
        return { ok: false, status: null, error: 'its signing secret is missing; remove the target and add it again', duration_ms: 0 }
      const at = now()
      const body = JSON.stringify(testNotification(t.name, at))
      const headers = signatureHeaders(secret, `msg_test_${randomUUID().replace(/-/g, '')}`, at / 1000, body)
      const o = await postJson(t.url, { ...headers }, body, { timeoutMs, trust: trustStore() })
      if (o.ok) {
        await deps.queue.enqueue(() => {
          targets.recordSuccess(t.id, o.status ?? 200, now())
          outbox.bringForward(t.id, now())
        })
        sender?.kick()
      }
      return { ok: o.ok, status: o.status, error: o.error, duration_ms: o.durationMs }
    },
    /** Starts delivering (the station; the CLI never does). */
    startSender(logError: (message: string, err: unknown) => void = (m, e) => console.error(`gatehouse: ${m}`, e)): void {
      if (sender) return
      sender = startSender({
        queue: deps.queue,
        hub: deps.hub,
        alerts: deps.alerts,
        targets,
        outbox,
        secrets,
        trust: trustStore,
        schedule: options.schedule ?? DEFAULT_RETRY_SCHEDULE,
        timeoutMs,
        tickMs: options.tickMs ?? 1000,
        failingAlertAfterMs: options.failingAlertAfterMs ?? 3_600_000,
        maxConcurrent: options.maxConcurrent ?? 8,
        retainMs: options.retainMs ?? 7 * 86_400_000,
        now,
        logError,
      })
    },
    kick: (): void => sender?.kick(),
    async close(): Promise<void> {
      await sender?.close()
      sender = null
    },
  }
}
