// A known gateway suddenly refused: its address had its requests accepted (we know which gateways
// posted from it), and now two in a row are refused (401 bad signature, 403 allowlist). Raised at
// the second whatever the rate — a gateway posts twice a minute, far below any burst threshold —
// one alert per gateway, resolved by the next accepted request from that address.
import type { CommitQueue } from '../store/commit-queue'
import type { Alerts } from './alerts'
import type { AlertView } from '../../../shared/domain'
import type { RefusalKind } from '../receiver/app'
import { normalizeClientAddress } from '../../../shared/allowlist'

export const REFUSALS_IN_A_ROW = 2

const WHY: Partial<Record<RefusalKind, string>> = {
  signature: '401: invalid signature (was its secret rotated?)',
  forbidden: '403: refused by the allowlist (was the allowlist changed?)',
}

export function createGatewayRefused(deps: {
  queue: CommitQueue
  alerts: Alerts
  emit: (alert: AlertView | undefined) => void
  /** Gateways and the addresses they were accepted from before this start (the log's last hour). */
  seed: Array<{ address: string; gateway_id: string }>
}) {
  const { queue, alerts, emit } = deps
  const known = new Map<string, Set<string>>()
  const streak = new Map<string, number>()
  const open = alerts.openSubjects('gateway_refused')

  const learn = (address: string, gatewayId: string): void => {
    const a = normalizeClientAddress(address)
    if (!known.has(a)) known.set(a, new Set())
    known.get(a)!.add(gatewayId)
  }
  for (const s of deps.seed) learn(s.address, s.gateway_id)

  return {
    /** An accepted status report: this gateway posts from this address. */
    learn,
    /** A refusal from `sourceIp`; the second in a row from a known gateway's address raises its alert. */
    refused(kind: RefusalKind, sourceIp: string, endpoint: string, now = Date.now()): void {
      const why = WHY[kind]
      const address = normalizeClientAddress(sourceIp)
      const gateways = known.get(address)
      if (!why || !gateways) return
      const n = (streak.get(address) ?? 0) + 1
      streak.set(address, n)
      if (n !== REFUSALS_IN_A_ROW) return
      const raise = [...gateways].filter((g) => !open.has(g))
      if (raise.length === 0) return
      raise.forEach((g) => open.add(g))
      queue
        .enqueue(() =>
          raise.map((g) =>
            alerts.raise(
              'gateway_refused',
              g,
              `Gateway ${g} is being refused: ${n} requests in a row from ${address} got ${why}; last on ${endpoint}`,
              now,
            ),
          ),
        )
        .then(
          (raised) => raised.forEach(emit),
          () => raise.forEach((g) => open.delete(g)),
        )
    },
    /** An accepted request from `sourceIp`: its streak ends, and its gateways' alerts resolve. */
    accepted(sourceIp: string, now = Date.now()): void {
      const address = normalizeClientAddress(sourceIp)
      streak.delete(address)
      const resolve = [...(known.get(address) ?? [])].filter((g) => open.has(g))
      if (resolve.length === 0) return
      resolve.forEach((g) => open.delete(g))
      queue
        .enqueue(() => resolve.map((g) => alerts.resolve('gateway_refused', g, now)))
        .then(
          (resolved) => resolved.forEach(emit),
          () => resolve.forEach((g) => open.add(g)),
        )
    },
  }
}
