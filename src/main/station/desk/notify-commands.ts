// The desk's commands for notification targets (shown with the station's security settings):
// list with masked secrets and delivery health, add, change the filter, remove, reveal, test.
import { TargetNameTakenError, TooManyTargetsError } from '../notify/notify'
import { MAX_TARGETS } from '../../../shared/notify'
import type { DeskCommandDeps, DeskCommands } from './command-types'
import { DeskError } from './errors'

type NotifyCommands = Pick<DeskCommands, 'notify:list' | 'notify:add' | 'notify:update' | 'notify:remove' | 'notify:test' | 'notify:reveal'>

const missing = (id: number): DeskError => new DeskError('NOT_FOUND', `No notification target ${id}`)

export function createNotifyDeskCommands({ station }: DeskCommandDeps): NotifyCommands {
  const { notify } = station
  return {
    'notify:list': () => notify.list(),
    'notify:add': async (input) => {
      try {
        return await notify.add(input)
      } catch (err) {
        if (err instanceof TargetNameTakenError) throw new DeskError('CONFLICT', `A target named "${input.name}" exists already`)
        if (err instanceof TooManyTargetsError) throw new DeskError('CONFLICT', `At most ${MAX_TARGETS} targets: remove one first`)
        throw err
      }
    },
    'notify:update': async ({ id, min_priority }) => {
      const updated = await notify.setMinPriority(id, min_priority)
      if (!updated) throw missing(id)
      return updated
    },
    'notify:remove': async ({ id }) => {
      if (!(await notify.remove(id))) throw missing(id)
      return { removed: true }
    },
    'notify:test': async ({ id }) => {
      const result = await notify.test(id)
      if (!result) throw missing(id)
      return result
    },
    'notify:reveal': ({ id }) => {
      if (!notify.get(id)) throw missing(id)
      const secret = notify.reveal(id)
      if (secret === undefined)
        throw new DeskError('NOT_FOUND', `The secret of target ${id} is missing; remove the target and add it again`)
      return { secret }
    },
  }
}
