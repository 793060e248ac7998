// The `reader_silent` alert: a reader last reported `connected` from which nothing has come (no
// scan, no status of its own) for the configured time while its gateway is online. Checked in
// the sweep; resolved by the sweep once the reader is heard from again, reported otherwise, or its
// gateway is no longer online (gateway_offline then says more). Coming back within the
// reactivation window reopens the same alert.
import type { CommitQueue } from '../store/commit-queue'
import type { Alerts } from './alerts'
import type { Gateways } from './gateways'
import type { AlertView } from '../../../shared/domain'

export function createReaderSilence(deps: {
  queue: CommitQueue
  alerts: Alerts
  gateways: Gateways
  emit: (a: AlertView | undefined) => void
  quietMs: number
}) {
  const { queue, alerts, gateways, emit, quietMs } = deps
  const open = alerts.openSubjects('reader_silent')

  return {
    async step(now = Date.now()): Promise<void> {
      alerts.forgetResolved('reader_silent', open)
      const silent = gateways.silentReaders(now, quietMs)
      const names = new Set(silent.map((r) => r.reader_id))
      const fresh = silent.filter((r) => !open.has(r.reader_id))
      const back = [...open].filter((id) => !names.has(id))
      if (fresh.length === 0 && back.length === 0) return
      const changes = await queue.enqueue(() => {
        // Re-read inside the write: a scan committed ahead of it in this batch means the reader spoke.
        const still = new Set(gateways.silentReaders(now, quietMs).map((r) => r.reader_id))
        const out: Array<{ alert: AlertView | undefined; reader: string; silent: boolean }> = []
        for (const r of fresh) {
          if (!still.has(r.reader_id)) continue
          const mins = Math.round((now - r.last_seen) / 60_000)
          out.push({
            reader: r.reader_id,
            silent: true,
            alert: alerts.raise(
              'reader_silent',
              r.reader_id,
              `Reader ${r.reader_id} (gateway ${r.gateway_id}, online) was last reported connected but has sent no scan and no status for ${mins < 1 ? 'under a minute' : `${mins} min`}: is it powered and in the gateway's list?`,
              now,
            ),
          })
        }
        for (const id of back) {
          if (still.has(id)) continue
          out.push({ reader: id, silent: false, alert: alerts.resolve('reader_silent', id, now) })
        }
        return out
      })
      // The set follows only what was committed.
      for (const c of changes) {
        if (c.silent) open.add(c.reader)
        else open.delete(c.reader)
        emit(c.alert)
      }
    },
  }
}
