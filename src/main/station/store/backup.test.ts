// `gatehouse backup <file>` while a station is running and writing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, type Station } from '../station'
import { commands, type CommandContext } from '../../cli/commands'
import { signatureHeaderValue } from '../receiver/signature'

let dir: string
let station: Station
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-backup-'))
  station = await createStation({ dataDir: dir })
})
afterEach(async () => {
  await station.close()
  rmSync(dir, { recursive: true, force: true })
})

function cli(args: string[]): { run: Promise<number>; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  const ctx: CommandContext = { args, values: {}, dataDir: dir, json: true, out: (t) => out.push(t), err: (t) => err.push(t) }
  return { run: commands.backup!(ctx), out, err }
}

describe('backup', () => {
  it('copies the live store while the station answers requests; the copy passes integrity_check', async () => {
    const { port } = await station.listen('127.0.0.1', 0)
    const key = station.secrets.info('access-event').secret
    const send = async (i: number): Promise<number> => {
      const body = JSON.stringify({ reader_id: 'R-1', credential_value: `C-${i}` })
      const res = await fetch(`http://127.0.0.1:${port}/webhook/v1/access-event`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, body) },
        body,
      })
      return res.status
    }
    for (let i = 0; i < 20; i++) expect(await send(i)).toBe(200)

    const file = join(dir, 'copy.db')
    const backup = cli([file])
    // Requests during the backup are answered as usual.
    const during = await Promise.all(Array.from({ length: 30 }, (_, i) => send(100 + i)))
    expect(await backup.run).toBe(0)
    expect(during.every((s) => s === 200)).toBe(true)
    expect(JSON.parse(backup.out.join(''))).toMatchObject({ file, integrity: 'ok', schema_version: expect.any(Number) })

    const copy = new Database(file, { readonly: true })
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete') // one self-contained file
      const n = (copy.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n
      expect(n).toBeGreaterThanOrEqual(20) // everything acknowledged before it began
      expect(n).toBeLessThanOrEqual(50)
    } finally {
      copy.close()
    }
    expect(existsSync(`${file}.partial`)).toBe(false)
  })

  it('never overwrites a file', async () => {
    const file = join(dir, 'copy.db')
    expect(await cli([file]).run).toBe(0)
    await expect(cli([file]).run).rejects.toThrow(/already exists/)
    await expect(cli([join(dir, 'gatehouse.db')]).run).rejects.toThrow(/already exists/)
  })
})
