// The sender: moves committed alert changes into the outbox and delivers them, off every request's
// path (timers and the hub's alert:changed, after the commit). At most one request in flight per
// target and a deadline on each, so a target that hangs holds one socket, never a pile of work.
// Raises `notification_failing` for a target that has failed for an hour; resolves it once one succeeds.
import type { CommitQueue } from '../store/commit-queue'
import { isStoreFault } from '../store/commit-queue'
import type { Hub } from '../hub'
import type { Alerts } from '../access/alerts'
import type { StationEvents } from '../../../shared/events'
import type { AlertView } from '../../../shared/domain'
import { nextAttemptAt, parseRetryAfter, type RetrySchedule } from './backoff'
import { postJson, type PostOutcome } from './http-post'
import { signatureHeaders } from './standard-webhooks'
import { alertNotification } from './payload'
import type { TrustStore } from './trust-store'
import type { Outbox, Delivery } from './outbox'
import type { TargetRow, TargetStore } from './targets'
import type { TargetSecrets } from './target-secrets'

export interface SenderDeps {
  queue: CommitQueue
  hub: Hub<StationEvents>
  alerts: Alerts
  targets: TargetStore
  outbox: Outbox
  secrets: TargetSecrets
  trust: () => TrustStore
  schedule: RetrySchedule
  timeoutMs: number
  tickMs: number
  failingAlertAfterMs: number
  maxConcurrent: number
  retainMs: number
  now: () => number
  logError: (message: string, err: unknown) => void
}

export interface Sender {
  /** Look for work now (after an alert change, a target added, a test that succeeded). */
  kick(): void
  /** Stops: no new attempt starts, those in flight are cut (and stay due for the next start). */
  close(): Promise<void>
}

const PRUNE_EVERY_MS = 3_600_000
const FAN_OUT_BATCH = 100

export function startSender(deps: SenderDeps): Sender {
  const { queue, hub, alerts, targets, outbox } = deps
  const inFlight = new Map<number, { abort: AbortController; done: Promise<void> }>()
  let closed = false
  let pumping: Promise<void> | null = null
  let again = false
  // The first prune waits an hour: starting the station writes nothing (a read-only store stays quiet).
  let lastPrune = deps.now()
  /** Targets whose last outcome could not be recorded (store fault): not called again until then. */
  const coolDown = new Map<number, number>()

  const emit = (changed: Array<AlertView | undefined>): void => {
    for (const a of changed) if (a) hub.emit('alert:changed', a)
  }

  function kick(): void {
    if (closed) return
    if (pumping) {
      again = true
      return
    }
    pumping = pump().finally(() => (pumping = null))
  }

  async function pump(): Promise<void> {
    try {
      do {
        again = false
        const now = deps.now()
        // Fan out in small batches: each is one short write riding the group commit requests share.
        while (!closed && outbox.hasUnsent()) {
          const all = targets.all()
          const n = await queue.enqueue(() => outbox.fanOut(all, deps.now(), FAN_OUT_BATCH))
          if (n < FAN_OUT_BATCH) break
        }
        if (closed) return
        await reconcileAlerts(now)
        for (const t of targets.all()) {
          if (closed || inFlight.size >= deps.maxConcurrent) break
          if (inFlight.has(t.id) || (coolDown.get(t.id) ?? 0) > deps.now()) continue
          const d = outbox.due(t.id, deps.now())
          if (d) attempt(t, d)
        }
        if (now - lastPrune >= PRUNE_EVERY_MS) {
          lastPrune = now
          await queue.enqueue(() => outbox.prune(now - deps.retainMs))
        }
      } while (again && !closed)
    } catch (err) {
      // A store fault is the commit path's to report (store_failure); the next tick tries again.
      if (!isStoreFault(err)) deps.logError('notification sender', err)
    }
  }

  function attempt(t: TargetRow, d: Delivery): void {
    const abort = new AbortController()
    const done = (async () => {
      const outcome = await send(t, d, abort.signal)
      // Cut short by close(): it stays due and goes again, with the same webhook-id, at the next start.
      if (outcome.aborted) return
      const changed = await queue.enqueue(() => record(t, d, outcome, deps.now()))
      emit(changed)
    })()
      .catch((err: unknown) => {
        // Unrecorded, the delivery is still due: wait before calling the target again, or a store
        // fault would have it called (with the same message) at every tick.
        coolDown.set(t.id, deps.now() + (deps.schedule.delaysMs[0] ?? deps.schedule.repeatMs))
        if (!isStoreFault(err)) deps.logError(`notification to ${t.name}`, err)
      })
      .finally(() => {
        inFlight.delete(t.id)
        kick()
      })
    inFlight.set(t.id, { abort, done })
  }

  async function send(t: TargetRow, d: Delivery, signal: AbortSignal): Promise<PostOutcome> {
    let secret: string | undefined
    try {
      secret = deps.secrets.get(t.secret_ref)
    } catch (err) {
      return failed(`its signing secret cannot be read: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (!secret) return failed('its signing secret is missing from notify-secrets.json; remove the target and add it again')
    const body = JSON.stringify(alertNotification(d.change, d.changed_at, d.alert))
    const headers = signatureHeaders(secret, d.message_id, deps.now() / 1000, body)
    return postJson(t.url, { ...headers }, body, { timeoutMs: deps.timeoutMs, trust: deps.trust(), signal })
  }

  /** The attempt's outcome, in one write: the delivery, the target's health, what waits for it. */
  function record(t: TargetRow, d: Delivery, o: PostOutcome, at: number): Array<AlertView | undefined> {
    if (o.ok) {
      outbox.recordDelivered(d.id, at)
      targets.recordSuccess(t.id, o.status ?? 200, at)
      outbox.bringForward(t.id, at)
      return [alerts.resolve('notification_failing', t.name, at)]
    }
    const next = nextAttemptAt(deps.schedule, d.attempts + 1, d.created_at, at, parseRetryAfter(o.retryAfter, at))
    const error = o.error ?? 'failed'
    outbox.recordFailed(d.id, next === null ? `${error} (given up after a day of retries)` : error, next, at)
    targets.recordFailure(t.id, o.status, error, at)
    return []
  }

  /** Alerts follow the targets' state, whoever changed it (a CLI test or remove included). */
  async function reconcileAlerts(now: number): Promise<void> {
    const open = alerts.openSubjects('notification_failing')
    const all = targets.all()
    const raise = all.filter((t) => t.failing_since !== null && now - t.failing_since >= deps.failingAlertAfterMs && !open.has(t.name))
    const resolve = [...open].filter((name) => {
      const t = all.find((x) => x.name === name)
      return !t || t.failing_since === null
    })
    if (raise.length === 0 && resolve.length === 0) return
    const counts = targets.counts()
    const changed = await queue.enqueue(() => [
      ...raise.map((t) => {
        const minutes = Math.round((now - t.failing_since!) / 60_000)
        const waiting = counts.get(t.id)?.pending ?? 0
        return alerts.raise(
          'notification_failing',
          t.name,
          `Notifications to ${t.name} (${new URL(t.url).host}) have failed for ${minutes} min: ${t.last_error ?? 'no answer'}. ` +
            `${waiting} waiting; supervisors off the desk are not getting alerts.`,
          now,
        )
      }),
      ...resolve.map((name) => alerts.resolve('notification_failing', name, now)),
    ])
    emit(changed)
  }

  const timer = setInterval(kick, deps.tickMs)
  timer.unref()
  const offAlert = hub.on('alert:changed', kick)
  kick()

  return {
    kick,
    async close() {
      if (closed) return
      closed = true
      clearInterval(timer)
      offAlert()
      const running = [...inFlight.values()]
      for (const r of running) r.abort.abort()
      await Promise.all([pumping, ...running.map((r) => r.done)])
    },
  }
}

function failed(error: string): PostOutcome {
  return { ok: false, status: null, error, retryAfter: undefined, durationMs: 0, aborted: false }
}
