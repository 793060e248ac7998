// The desk reader thread on a real store file: its priority, and what a desk sees when the thread
// dies or cannot start (an error to try again, never a crash, never reads moved onto the receiver).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { getPriority } from 'node:os'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, type Station } from '../station'
import { startDeskReader, type DeskReader } from './desk-reader'
import { DeskError } from './errors'

let dir: string
let station: Station
let reader: DeskReader | null

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-reader-'))
  station = await createStation({ dataDir: dir })
  reader = null
})

afterEach(async () => {
  await reader?.close()
  await station.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The nice value the kernel holds for one thread of this process (field 19 of its stat line). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
}

describe('the desk reader thread', () => {
  it.skipIf(process.platform !== 'linux')('runs at nice 19 while the receiver’s thread keeps its own priority', async () => {
    const before = getPriority()
    reader = startDeskReader(station.db.name)
    await reader.run('logs:query', { limit: 1 })
    const thread = reader.thread()
    expect(thread).toMatchObject({ nice: 19 })
    expect(thread!.tid).not.toBe(process.pid)
    expect(niceOf(thread!.tid!)).toBe(19)
    expect(niceOf(process.pid)).toBe(before)
    expect(getPriority()).toBe(before)
  })

  it('answers UTF-8 JSON identical to the result serialised in-process', async () => {
    station.log.add({
      endpoint: '/webhook/v1/access-event',
      method: 'POST',
      status: 401,
      sourceIp: '10.0.0.1',
      receivedAt: Date.now(),
      responseTimeMs: 1,
      reason: 'signature mismatch — ünïcödé ✓',
      headers: {},
      body: null,
    })
    reader = startDeskReader(station.db.name)
    const raw = await reader.run('logs:query', { limit: 10 })
    const text = Buffer.from(raw.bytes.buffer, raw.start, raw.end - raw.start).toString('utf8')
    expect(text).toBe(JSON.stringify(station.log.query({ limit: 10 })))
    expect(raw.framed(Buffer.from('['), Buffer.from(']')).toString('utf8')).toBe(`[${text}]`)
  })

  it('that cannot start fails the call with READER_UNAVAILABLE, is reported once, and is not retried at every call', async () => {
    const reported: string[] = []
    reader = startDeskReader(join(dir, 'no-such-store.db'), { logError: (message) => reported.push(message) })
    const first = await reader.run('logs:query', { limit: 1 }).catch((e: unknown) => e)
    expect(first).toBeInstanceOf(DeskError)
    expect(first).toMatchObject({ code: 'READER_UNAVAILABLE' })
    const again = await reader.run('logs:query', { limit: 1 }).catch((e: unknown) => e)
    expect(again).toMatchObject({ code: 'READER_UNAVAILABLE' })
    expect(reported).toHaveLength(1)
    expect(reported[0]).toMatch(/desk reader thread ended/)
    expect(reader.healthy()).toBe(false)
  })
})
