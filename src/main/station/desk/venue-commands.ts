// The desk's venue-rule commands: zones, reader zones are part of readers:configure, the watch
// list, admit-once overrides, forgiving an anti-passback denial, lockdowns. Each names its operator.
import type { DeskCommandDeps, DeskCommands } from './command-types'
import { DeskError } from './errors'
import { VenueInputError } from '../venue/venue-admin'
import { WatchListError } from '../venue/watch-list'

type VenueCommands = Pick<
  DeskCommands,
  | 'zones:list'
  | 'zones:configure'
  | 'zones:reset'
  | 'watch:list'
  | 'watch:add'
  | 'watch:remove'
  | 'overrides:list'
  | 'overrides:admit'
  | 'overrides:cancel'
  | 'decisions:forgive'
  | 'lockdown:set'
>

/** Venue input errors are the operator's to fix: they cross as INVALID_INPUT with their sentence. */
async function input<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof VenueInputError || err instanceof WatchListError) throw new DeskError('INVALID_INPUT', err.message)
    throw err
  }
}

export function createVenueDeskCommands({ station }: DeskCommandDeps): VenueCommands {
  const { venue } = station
  return {
    'zones:list': () => venue.zones(),
    'zones:configure': ({ name, ...settings }) => input(() => venue.configureZone(name, settings)),
    'zones:reset': ({ name }) => input(() => venue.resetZone(name)),
    'watch:list': () => venue.watchList(),
    'watch:add': ({ credential, attendee, kind, note, until, by }) =>
      input(() => {
        if ((credential === undefined) === (attendee === undefined)) throw new VenueInputError('Flag either a credential or an attendee')
        const target = credential !== undefined ? { credential } : { attendee: attendee!.external_id, project: attendee!.project }
        return venue.watch(target, kind, note, until === undefined ? null : Date.parse(until), by)
      }),
    'watch:remove': ({ id, by }) => input(() => venue.unwatch(id, by)),
    'overrides:list': () => venue.overrides(),
    'overrides:admit': ({ reader_id, credential, minutes, note, by }) =>
      input(() => venue.admitOnce(reader_id, credential, minutes, note, by)),
    'overrides:cancel': ({ id }) => input(() => venue.cancelOverride(id)),
    'decisions:forgive': ({ decision_id }) => input(() => venue.forgive(decision_id)),
    'lockdown:set': ({ on, zone, note, by }) => input(() => venue.lockdown(on, zone, by, note)),
  }
}
