// What runs after a commit (the live hub, its listeners) can fail without changing an answer that
// was already decided and stored: a throwing listener is logged, the gateway still gets its 200.
import { afterEach, describe, expect, it } from 'vitest'
import { post, signGxp, startStation, type RunningStation } from '../../test-support/station'

let running: RunningStation | undefined
afterEach(async () => {
  await running?.close()
  running = undefined
})

describe('after the commit', () => {
  it('a hub listener that throws is logged and the scan is still answered 200 and stored', async () => {
    running = await startStation({ env: { GATEHOUSE_SECRET: 's3cret' } })
    const { station } = running
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => void errors.push(args)
    try {
      station.hub.on('access:decided', () => {
        throw new Error('a broken desk transport')
      })
      station.hub.on('log:entry', () => {
        throw new Error('another broken listener')
      })
      const body = JSON.stringify({ reader_id: 'R-1', credential_value: 'NOBODY', timestamp: new Date().toISOString() })
      const res = await post(running.url, '/webhook/v1/access-event', body, { 'x-gxp-signature': signGxp('s3cret', body) })
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body)).toMatchObject({ success: true, access_granted: false, reason: 'unknown_credential' })
    } finally {
      console.error = original
    }
    expect(station.db.prepare('SELECT count(*) AS n FROM decisions').get()).toEqual({ n: 1 })
    expect(JSON.stringify(errors)).toContain('a listener of access:decided threw')
    expect(JSON.stringify(errors)).toContain('a listener of log:entry threw')
  })
})
