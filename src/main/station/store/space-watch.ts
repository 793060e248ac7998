// Warns before the disk fills: a full disk means every scan is denied. Checked every half minute:
// the free space of the data directory's filesystem (statfs), whether it can still hold what the
// store may grow to under its size budget, and whether the store has outgrown that budget (it can
// when everything left is accepted requests of the last 24 h, which retention keeps).
import { statfsSync } from 'node:fs'
import type { CommitQueue } from './commit-queue'
import type { Alerts } from '../access/alerts'
import type { Hub } from '../hub'
import type { StationEvents } from '../../../shared/events'

const MiB = 1024 * 1024
/** Over budget by this much (retention trims as soon as the store passes it, so this means it could not). */
const OVER_BUDGET = 1.1
/** A raised alert resolves only once the figures are this much better: no alert flapping at the line. */
const HYSTERESIS = 1.1

export interface SpaceLimits {
  /** Alert below this much free space on the disk. */
  minFreeBytes: number
  /** The store's size budget (GATEHOUSE_STORE_MAX_MB). */
  budgetBytes: number
}

export interface SpaceReading {
  freeBytes: number
  usedBytes: number
  /** Why space is low, or null when it is not. */
  low: string | null
}

const mib = (n: number): string => `${Math.round(n / MiB).toLocaleString('en-US')} MiB`

/** Reads the figures; `margin` > 1 asks whether they are comfortably clear (to resolve an alert). */
export function readSpace(dataDir: string, usedBytes: number, limits: SpaceLimits, margin = 1): SpaceReading {
  const fs = statfsSync(dataDir)
  const freeBytes = Number(fs.bavail) * Number(fs.bsize)
  const still = Math.max(0, limits.budgetBytes - usedBytes)
  let low: string | null = null
  if (freeBytes < limits.minFreeBytes * margin) {
    low = `Only ${mib(freeBytes)} free on the disk of ${dataDir} (warning below ${mib(limits.minFreeBytes)}). When it is full every request is refused and every scan denied: free space now.`
  } else if (freeBytes < still * margin) {
    low = `The store may grow by ${mib(still)} more (budget ${mib(limits.budgetBytes)}, ${mib(usedBytes)} used) but the disk of ${dataDir} has ${mib(freeBytes)} free: free space or lower GATEHOUSE_STORE_MAX_MB.`
  } else if (usedBytes * margin > limits.budgetBytes * OVER_BUDGET) {
    low = `The store uses ${mib(usedBytes)}, over its budget of ${mib(limits.budgetBytes)}: what is left is accepted requests and decisions of the last 24 h, which retention keeps. Raise GATEHOUSE_STORE_MAX_MB or make room on the disk.`
  }
  return { freeBytes, usedBytes, low }
}

export interface SpaceWatchDeps {
  dataDir: string
  usedBytes: () => number
  limits: SpaceLimits
  queue: CommitQueue
  alerts: Alerts
  hub: Hub<StationEvents>
  /** Told when space becomes low and when it recovers (refusals are then logged as counts only). */
  onChange?: (low: boolean) => void
}

/** Checks now and every `intervalMs`; returns the stop function. */
export function watchSpace(deps: SpaceWatchDeps, intervalMs = 30_000): () => void {
  let low = deps.alerts.openOf('store_space_low', 'store') !== undefined
  deps.onChange?.(low)
  let busy = false
  const check = async (): Promise<void> => {
    if (busy) return
    busy = true
    try {
      const reading = readSpace(deps.dataDir, deps.usedBytes(), deps.limits, low ? HYSTERESIS : 1)
      if (!low && reading.low) {
        const message = reading.low
        const raised = await deps.queue.enqueue(() => deps.alerts.raise('store_space_low', 'store', message))
        low = true
        deps.onChange?.(true)
        if (raised) deps.hub.emit('alert:changed', raised)
      } else if (low && !reading.low) {
        const resolved = await deps.queue.enqueue(() => deps.alerts.resolve('store_space_low', 'store'))
        low = false
        deps.onChange?.(false)
        if (resolved) deps.hub.emit('alert:changed', resolved)
      }
    } catch {
      // statfs failed or the store cannot be written: a full disk is reported by store_failure.
    } finally {
      busy = false
    }
  }
  const first = setTimeout(() => void check(), Math.min(intervalMs, 1000))
  first.unref()
  const timer = setInterval(() => void check(), intervalMs)
  timer.unref()
  return () => {
    clearTimeout(first)
    clearInterval(timer)
  }
}
