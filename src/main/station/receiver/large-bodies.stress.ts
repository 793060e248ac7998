// The flood, `npm run test:stress`: 24 concurrent unsigned 63 MiB attendee-sync uploads
// against a station in its own process. Two are read at a time, the others get 503 before their
// body is read, so the station's resident memory grows by at most ~300 MiB (it grew by ~1.7 GB when
// every body was buffered before its signature was looked at). The bound is generous on purpose.
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnStation } from '../../test-support/crash-harness'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-large-stress-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const MiB = 1024 * 1024
const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024

function upload(base: string, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    let status = 0
    const req = request(`${base}/webhook/v1/attendee-sync`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-gxp-signature': `sha256=${'0'.repeat(64)}` },
    })
    req.on('response', (res) => {
      status = res.statusCode ?? 0
      res.resume()
      res.on('end', () => resolve(status))
    })
    // A 503 closes the connection while the rest of the body is still being written.
    req.on('error', () => resolve(status))
    req.end(body)
  })
}

describe('24 concurrent unsigned 63 MiB uploads', () => {
  it.skipIf(process.platform !== 'linux')(
    'add at most ~300 MiB to the station, and every one is refused (401 or 503)',
    { timeout: 180_000 },
    async () => {
      const station = await spawnStation(dir)
      try {
        const body = Buffer.alloc(63 * MiB, 0x20)
        const before = rssOf(station.pid)
        let peak = before
        const sampler = setInterval(() => (peak = Math.max(peak, rssOf(station.pid))), 10)
        const statuses = await Promise.all(Array.from({ length: 24 }, () => upload(station.base, body)))
        clearInterval(sampler)
        const grew = (peak - before) / MiB
        console.log({ statuses, rssBeforeMiB: Math.round(before / MiB), rssPeakMiB: Math.round(peak / MiB), grewMiB: Math.round(grew) })
        expect(statuses.every((s) => s === 401 || s === 503)).toBe(true)
        expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0)
        expect(grew).toBeLessThan(300)
      } finally {
        await station.stop('SIGTERM')
      }
    },
  )
})
