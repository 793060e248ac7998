// `gatehouse settings [show] | settings set <name> <value|default> --by NAME`: the station's
// run-time settings as the store holds them, what a running station uses, and which environment
// variable overrides one. Values go through the one parser (shared/runtime-settings.ts).
import { runtimeSettingNameSchema, RUNTIME_SETTING_NAMES, type RuntimeSettingView } from '../../shared/runtime-settings'
import { SettingValueError } from '../station/runtime-config'
import { table } from './format'
import { print, str, withCore, withReader, type Command } from './context'

const USAGE = 'usage: settings [show] | settings set <name> <value|default> --by NAME'

const shown = (s: RuntimeSettingView): string => `${s.value} ${s.unit}`

export const settingsCommand: Command = (ctx) => {
  const [action = 'show', name, value, ...extra] = ctx.args
  if (action === 'show') {
    return withReader(ctx, (core) => {
      const view = core.runtime.view()
      return print(ctx, view, () =>
        table(
          ['setting', 'in use', 'from', 'stored', 'default', 'note'],
          view.settings.map((s) => [
            s.name,
            shown(s),
            s.source === 'env' ? s.env_var : s.source,
            s.stored === null ? '—' : String(s.stored),
            String(s.default),
            s.note ?? (s.applies === 'live' ? 'applied within a second' : 'applies at the next start'),
          ]),
        ),
      )
    })
  }
  if (action !== 'set' || extra.length > 0) throw new Error(USAGE)
  const parsedName = runtimeSettingNameSchema.safeParse(name)
  if (!parsedName.success) throw new Error(`expected a setting: one of ${RUNTIME_SETTING_NAMES.join(', ')} (got "${name ?? ''}")`)
  if (value === undefined) throw new Error(USAGE)
  if (!str(ctx, 'by')?.trim()) throw new Error('--by NAME is required: every change is recorded with the name of who made it')
  return withCore(ctx, async (core) => {
    let change
    try {
      change = await core.queue.enqueue(() => core.runtime.store(parsedName.data, value))
    } catch (err) {
      if (!(err instanceof SettingValueError)) throw err
      ctx.err(`gatehouse settings: refused: ${err.message}; nothing changed`)
      return 1
    }
    const { before, after } = change
    return print(ctx, { before, after }, () =>
      [
        `${after.name}: ${before.stored ?? `${before.default} (default)`} → ${after.stored ?? `${after.default} (default)`} stored`,
        after.note ?? `in use: ${shown(after)}`,
      ].join('\n'),
    )
  })
}
