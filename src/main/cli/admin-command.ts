// `gatehouse admin set-passphrase` (the admin passphrase the desk asks for before admin actions,
// read from the terminal without echo, or from stdin) and `gatehouse audit` (who did what).
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { adminPassphrase, checkNewPassphrase, PassphraseError } from '../station/desk/passphrase'
import { print, str, withCore, type Command, type CommandContext } from './context'
import { table, since as sinceText } from './format'

/** One line from a terminal with echo off, or the first line of piped stdin. */
async function readSecretLine(prompt: string, input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<string> {
  if (input.isTTY) {
    let muted = false
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (!muted) process.stderr.write(chunk)
        done()
      },
    })
    const rl = createInterface({ input, output: out, terminal: true })
    process.stderr.write(prompt)
    muted = true
    const line = await new Promise<string>((resolve) => rl.once('line', resolve))
    rl.close()
    process.stderr.write('\n')
    return line
  }
  const chunks: Buffer[] = []
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd()
}

async function setPassphrase(ctx: CommandContext): Promise<number> {
  const first = await readSecretLine('New admin passphrase: ')
  try {
    checkNewPassphrase(first)
  } catch (err) {
    if (err instanceof PassphraseError) {
      ctx.err(`gatehouse admin: ${err.message}`)
      return 1
    }
    throw err
  }
  if (process.stdin.isTTY && (await readSecretLine('Again: ')) !== first) {
    ctx.err('gatehouse admin: the two passphrases differ; nothing changed')
    return 1
  }
  return withCore(ctx, async (core) => {
    const was = adminPassphrase(core.settings, (fn) => core.queue.enqueue(fn))
    const replacing = was.isSet()
    await was.set(first)
    ctx.out(
      replacing ? 'admin passphrase changed (desks unlocked with the old one keep it until they lock or time out)' : 'admin passphrase set',
    )
    return 0
  })
}

export const adminCommand: Command = async (ctx) => {
  const [action] = ctx.args
  if (action === 'set-passphrase') return setPassphrase(ctx)
  ctx.err('usage: gatehouse admin set-passphrase   (reads the passphrase from the terminal, or the first line of stdin)')
  return 2
}

export const auditCommand: Command = (ctx) =>
  withCore(ctx, (core) => {
    const raw = str(ctx, 'since')
    const since = raw === undefined ? 0 : Date.parse(raw)
    if (Number.isNaN(since)) throw new Error(`--since must be an ISO 8601 date or date-time (got "${raw}")`)
    const limitText = str(ctx, 'limit')
    const limit = limitText === undefined ? 1000 : Number(limitText)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new Error('--limit must be a whole number from 1 to 100000')
    const list = core.audit.list(since, limit)
    return print(ctx, list, () =>
      list.length === 0
        ? 'no audit entries'
        : table(
            ['when', 'operator', 'role', 'command', 'outcome', 'from', 'before → after'],
            list.map((e) => [
              `${e.at} (${sinceText(e.at)})`,
              e.operator,
              e.role,
              e.command,
              e.outcome === 'done' ? 'done' : `${e.outcome}${e.detail ? ` (${e.detail})` : ''}`,
              e.source,
              e.before === null && e.after === null ? '' : `${short(e.before)} → ${short(e.after)}`,
            ]),
          ),
    )
  })

const short = (v: unknown): string => {
  const s = v === null || v === undefined ? '—' : JSON.stringify(v)
  return s.length > 80 ? `${s.slice(0, 79)}…` : s
}
