// The desk's view of the station's run-time settings (gateway timeout, retention…) and an admin's
// change to one: stored, parsed by the same parser as the CLI's, and applied at once when live.
import type { DeskCommandDeps, DeskCommands } from './command-types'
import { DeskError } from './errors'
import { SettingValueError } from '../runtime-config'

type SettingsCommands = Pick<DeskCommands, 'settings:list' | 'settings:set'>

export function createSettingsDeskCommands({ station }: DeskCommandDeps): SettingsCommands {
  return {
    'settings:list': () => station.runtime.view(),
    'settings:set': async ({ name, value }) => {
      try {
        await station.queue.enqueue(() => station.runtime.store(name, value))
      } catch (err) {
        if (err instanceof SettingValueError) throw new DeskError('INVALID_INPUT', err.message)
        throw err
      }
      await station.reloadSettings()
      return station.runtime.view().settings.find((s) => s.name === name)!
    },
  }
}
