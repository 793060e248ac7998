// The desk's alert commands: the queue's steps (acknowledge, investigate, note, snooze, resolve),
// the notes history, the incident export, and the admin's per-kind settings.
import type { DeskCommandDeps, DeskCommands } from './command-types'
import { DeskError } from './errors'
import { AlertActionError } from '../access/alerts'
import type { AlertStep, AlertStepInput } from '../access/alert-actions'
import { exportIncidents } from '../access/incident-export'
import type { AlertView } from '../../../shared/domain'

type AlertCommands = Pick<
  DeskCommands,
  | 'alerts:list'
  | 'alerts:acknowledge'
  | 'alerts:investigate'
  | 'alerts:note'
  | 'alerts:snooze'
  | 'alerts:resolve'
  | 'alerts:history'
  | 'alerts:export'
  | 'alerts:kinds'
  | 'alerts:configure-kind'
>

/** Refusals of a step are the operator's to read: they cross with their code and sentence. */
async function desk<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof AlertActionError) throw new DeskError(err.code, err.message)
    throw err
  }
}

export function createAlertDeskCommands({ station }: DeskCommandDeps): AlertCommands {
  const { access } = station
  const actions = access.alertActions
  const step = (s: AlertStep) => (input: AlertStepInput) => desk(() => actions.step(s, input))
  return {
    'alerts:list': ({ include_resolved, limit }): AlertView[] => {
      const held = access.faults.views()
      if (!include_resolved) return access.openAlerts()
      const stored = access.alerts.recent(limit)
      return [...held, ...stored].slice(0, Math.max(limit, held.length))
    },
    'alerts:acknowledge': step('acknowledge'),
    'alerts:investigate': step('investigate'),
    'alerts:note': step('note'),
    'alerts:snooze': step('snooze'),
    'alerts:resolve': step('resolve'),
    'alerts:history': ({ id }) => desk(() => actions.history(id)),
    'alerts:export': ({ since, until, format }) =>
      exportIncidents(access.alerts.between(Date.parse(since), Date.parse(until)), { since, until }, format),
    'alerts:kinds': () => actions.kinds(),
    'alerts:configure-kind': ({ kind, reset, by, ...change }) => actions.configureKind(kind, reset ? 'reset' : change, by),
  }
}
