// An operator's steps on an alert, as the desk and the CLI take them: on a stored alert in one
// write (then the hub hears of it), on a fault alert held in memory (the store cannot be written)
// in memory, kept with it until it is written. Also the admin's per-kind settings and the export.
import type { CommitQueue } from '../store/commit-queue'
import type { Hub } from '../hub'
import type { StationEvents } from '../../../shared/events'
import type { AlertKind, AlertView } from '../../../shared/domain'
import type { AlertKindSettings, AlertNoteView } from '../../../shared/alerts'
import { AlertActionError, type Alerts } from './alerts'
import type { FaultAlerts } from './fault-alerts'
import type { KindSettingsChange } from './alert-kind-settings'

export type AlertStep = 'acknowledge' | 'investigate' | 'note' | 'snooze' | 'resolve'

export interface AlertStepInput {
  id: number
  by: string
  note?: string
  minutes?: number
}

export type AlertActions = ReturnType<typeof createAlertActions>

export function createAlertActions(deps: { alerts: Alerts; faults: FaultAlerts; queue: CommitQueue; hub: Hub<StationEvents> }) {
  const { alerts, faults, queue, hub } = deps

  function stepStored(step: AlertStep, i: AlertStepInput): AlertView {
    const note = i.note ?? ''
    switch (step) {
      case 'acknowledge':
        return alerts.acknowledge(i.id, i.by, { note })
      case 'investigate':
        return alerts.investigate(i.id, i.by, { note })
      case 'note':
        return alerts.note(i.id, i.by, note)
      case 'snooze':
        return alerts.snooze(i.id, i.by, i.minutes ?? 15, { note })
      case 'resolve':
        return alerts.resolveById(i.id, i.by, { note })
    }
  }

  return {
    /** One step; throws AlertActionError (NOT_FOUND, CONFLICT, INVALID_INPUT) when it is refused. */
    async step(step: AlertStep, input: AlertStepInput): Promise<AlertView> {
      if (faults.has(input.id)) {
        if (step === 'acknowledge') return faults.acknowledge(input.id, input.by, input.note ?? '')
        if (step === 'note') return faults.note(input.id, input.by, input.note ?? '')
        throw new AlertActionError(
          'CONFLICT',
          `Alert ${input.id} is not in the store yet (it cannot be written): acknowledge it or add a note for now`,
        )
      }
      const done = await queue.enqueue(() => stepStored(step, input))
      hub.emit('alert:changed', done)
      return done
    },
    history(id: number): AlertNoteView[] {
      if (faults.has(id)) return faults.notes(id)
      if (!alerts.get(id)) throw new AlertActionError('NOT_FOUND', `No alert ${id}`)
      return alerts.notes(id)
    },
    kinds: (): AlertKindSettings[] => alerts.kinds.all(),
    /** An admin's change to a kind; a new priority applies to its open alerts too. */
    async configureKind(kind: AlertKind, change: KindSettingsChange | 'reset', by: string): Promise<AlertKindSettings> {
      const { settings, changed } = await queue.enqueue(() => {
        const settings = change === 'reset' ? alerts.kinds.reset(kind) : alerts.kinds.set(kind, change, by)
        return { settings, changed: alerts.reprioritise(kind, settings.priority) }
      })
      for (const a of changed) hub.emit('alert:changed', a)
      hub.emit('config:changed', { what: 'settings' })
      return settings
    },
  }
}
