// The receiver against GxP Incoming Webhooks v1: every endpoint's happy path, every documented error
// body byte for byte, the doc-silent errors in the same shape, and signatures over the raw bytes.
// A real station (temp-dir SQLite, real secrets) driven through app.inject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHmac } from 'node:crypto'
import type { Station } from '../station'
import type { EndpointName } from '../../../shared/webhooks'
import { eventually, post, signGxp, startStation, type RunningStation } from '../../test-support/station'

let running: RunningStation
let station: Station

beforeAll(async () => {
  running = await startStation()
  station = running.station
})
afterAll(() => running.close())

const secretOf = (endpoint: EndpointName): string => station.secrets.info(endpoint).secret
const hex = (secret: string, body: string | Buffer): string => createHmac('sha256', secret).update(body).digest('hex')

const INVALID_SIGNATURE = '{"error":"Invalid signature","message":"The request signature does not match"}'

async function send(path: string, body: string | Buffer, headers: Record<string, string | string[]> = {}) {
  const res = await station.receiver.inject({
    method: 'POST',
    url: path,
    payload: body,
    headers: { 'content-type': 'application/json', ...headers },
  })
  return { status: res.statusCode, headers: res.headers, body: res.body }
}

/** Signed with the endpoint's own secret, as a GxP sender does. */
const sendSigned = (endpoint: EndpointName, body: string | Buffer, headers: Record<string, string> = {}) =>
  send(`/webhook/v1/${endpoint}`, body, { 'x-gxp-signature': signGxp(secretOf(endpoint), body), ...headers })

const sendCvent = (body: string, signature: string) => send('/webhook/v1/cvent', body, { 'x-cvent-signature': signature })

// The doc's example payloads, as the doc prints them (multi-line, indented).
const DOC_GATEWAY_STATUS = `{
  "gateway_id": "GW-001",
  "status": "online",
  "readers": [
    {
      "reader_id": "READER-001",
      "status": "connected",
      "last_scan": "2024-01-15T10:30:00Z"
    }
  ],
  "timestamp": "2024-01-15T10:31:00Z"
}`

const DOC_ATTENDEE_SYNC = `{
  "project_slug": "my-event",
  "team_slug": "my-team",
  "sync_mode": "upsert",
  "attendees": [
    {
      "external_id": "EXT-001",
      "first_name": "Jane",
      "last_name": "Smith",
      "email": "jane@example.com",
      "attendee_type": "general",
      "credential_value": "ABC123456"
    }
  ]
}`

const DOC_ACCESS_EVENT = `{
  "reader_id": "READER-001",
  "credential_value": "ABC123456",
  "scan_type": "barcode",
  "timestamp": "2024-01-15T14:30:00Z"
}`

const cventEvent = (eventId: string, registrationId = 'reg_456'): string =>
  JSON.stringify({
    event_type: 'registration.created',
    event_id: eventId,
    data: { registration_id: registrationId, attendee: { first_name: 'John', last_name: 'Doe', email: 'john.doe@example.com' } },
    timestamp: '2024-01-15T09:00:00Z',
  })

describe('happy paths, with the documented success bodies', () => {
  it('mqtt-gateway-status: the doc payload and the doc curl minimum are both "Status updated"', async () => {
    const full = await sendSigned('mqtt-gateway-status', DOC_GATEWAY_STATUS)
    expect(full.status).toBe(200)
    expect(full.headers['content-type']).toMatch(/^application\/json/)
    expect(full.body).toBe('{"success":true,"message":"Status updated"}')
    const minimal = await sendSigned('mqtt-gateway-status', '{"gateway_id":"GW-002","status":"online"}')
    expect(minimal.body).toBe('{"success":true,"message":"Status updated"}')
    expect(station.access.gateways.gateway('GW-001')?.status).toBe('online')
    expect(station.access.gateways.gateway('GW-002')?.status).toBe('online')
  })

  it('attendee-sync creates, then updates, with the documented results body', async () => {
    const first = await sendSigned('attendee-sync', DOC_ATTENDEE_SYNC)
    expect(first.status).toBe(200)
    expect(first.body).toBe('{"success":true,"results":{"created":1,"updated":0,"skipped":0,"errors":[]}}')
    const changed = await sendSigned('attendee-sync', DOC_ATTENDEE_SYNC.replace('jane@example.com', 'jane.smith@example.com'))
    expect(changed.body).toBe('{"success":true,"results":{"created":0,"updated":1,"skipped":0,"errors":[]}}')
  })

  it('access-event grants the synced attendee, in the documented shape', async () => {
    const res = await sendSigned('access-event', DOC_ACCESS_EVENT)
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body) as Record<string, unknown>
    // The doc's keys come first and in its order; `reason` is our addition after them.
    expect(Object.keys(body).slice(0, 3)).toEqual(['success', 'access_granted', 'attendee'])
    expect(body).toMatchObject({ success: true, access_granted: true, attendee: { first_name: 'Jane', last_name: 'Smith' } })
    expect(Object.keys(body.attendee as object)).toEqual(['id', 'first_name', 'last_name'])
    expect(Number.isInteger((body.attendee as { id: unknown }).id)).toBe(true)
  })

  it('cvent accepts X-Cvent-Signature as bare hex, with a sha256= prefix, and in upper case', async () => {
    const key = secretOf('cvent')
    const a = cventEvent('evt_123')
    const bare = await sendCvent(a, hex(key, a))
    expect(bare.status).toBe(200)
    expect(bare.body).toBe('{"success":true,"message":"Event processed"}')
    const b = cventEvent('evt_124', 'reg_457')
    expect((await sendCvent(b, `sha256=${hex(key, b)}`)).body).toBe('{"success":true,"message":"Event processed"}')
    const c = cventEvent('evt_125', 'reg_458')
    expect((await sendCvent(c, hex(key, c).toUpperCase())).status).toBe(200)
  })
})

describe('signatures over the raw bytes', () => {
  const body = '{"gateway_id":"GW-SIG","status":"online"}'

  it('401 with the documented body when the signature is missing, wrong, or malformed', async () => {
    const key = secretOf('mqtt-gateway-status')
    const cases: Array<Record<string, string>> = [
      {},
      { 'x-gxp-signature': signGxp('not-the-secret', body) },
      { 'x-gxp-signature': hex(key, body) }, // GxP requires the sha256= prefix
      { 'x-gxp-signature': `sha256=${hex(key, body).slice(0, 63)}` },
      { 'x-gxp-signature': `sha256=${hex(key, body).slice(0, 63)}g` },
      { 'x-gxp-signature': `sha1=${hex(key, body)}` },
      { 'x-gxp-signature': '' },
    ]
    for (const headers of cases) {
      const res = await send('/webhook/v1/mqtt-gateway-status', body, headers)
      expect(res.status, JSON.stringify(headers)).toBe(401)
      expect(res.body).toBe(INVALID_SIGNATURE)
      expect(res.headers['content-type']).toMatch(/^application\/json/)
    }
  })

  it('accepts upper-case hex after sha256=', async () => {
    const res = await send('/webhook/v1/mqtt-gateway-status', body, {
      'x-gxp-signature': `sha256=${hex(secretOf('mqtt-gateway-status'), body).toUpperCase()}`,
    })
    expect(res.status).toBe(200)
  })

  it('refuses a duplicated X-GxP-Signature header, even when both copies are right (real socket)', async () => {
    const good = signGxp(secretOf('mqtt-gateway-status'), body)
    const res = await post(running.url, '/webhook/v1/mqtt-gateway-status', body, { 'x-gxp-signature': [good, good] })
    expect(res.status).toBe(401)
    expect(res.body).toBe(INVALID_SIGNATURE)
    // The control: one copy of the same header passes.
    expect((await post(running.url, '/webhook/v1/mqtt-gateway-status', body, { 'x-gxp-signature': good })).status).toBe(200)
  })

  it("each source has its own secret: another endpoint's secret is refused", async () => {
    const res = await send('/webhook/v1/mqtt-gateway-status', body, { 'x-gxp-signature': signGxp(secretOf('access-event'), body) })
    expect(res.status).toBe(401)
    expect(secretOf('access-event')).not.toBe(secretOf('mqtt-gateway-status'))
  })

  it("refuses a Cvent request signed GxP-style, or with another source's secret", async () => {
    const event = cventEvent('evt_gxp_style', 'reg_900')
    const key = secretOf('cvent')
    const gxpStyle = await send('/webhook/v1/cvent', event, { 'x-gxp-signature': signGxp(key, event) })
    expect(gxpStyle.status).toBe(401)
    expect(gxpStyle.body).toBe(INVALID_SIGNATURE)
    const otherKey = await sendCvent(event, hex(secretOf('mqtt-gateway-status'), event))
    expect(otherKey.status).toBe(401)
    // The control: the same bytes with the right header and key go through.
    expect((await sendCvent(event, hex(key, event))).status).toBe(200)
  })

  it("verifies a PHP sender's body (json_encode escapes \\/ and \\u00e9) over its exact bytes", async () => {
    // What PHP's json_encode produces for ['gateway_id' => 'GW/PHP', 'status' => 'café'].
    const php = '{"gateway_id":"GW\\/PHP","status":"caf\\u00e9","readers":[{"reader_id":"R\\/1","status":"connected"}]}'
    const res = await sendSigned('mqtt-gateway-status', php)
    expect(res.status).toBe(200)
    expect(station.access.gateways.gateway('GW/PHP')?.status).toBe('café')
    // The log keeps the bytes as they arrived, escapes and all.
    const entry = await eventually(() => station.log.query({ endpoint: 'mqtt-gateway-status', status: 200, limit: 1 })[0])
    expect(station.log.get(entry.id)?.body).toBe(php)
  })

  it('refuses a signature computed over re-serialised JSON', async () => {
    const key = secretOf('mqtt-gateway-status')
    const sent = '{ "gateway_id": "GW\\/RESER", "status": "caf\\u00e9" }\n'
    const reserialised = JSON.stringify(JSON.parse(sent))
    expect(reserialised).not.toBe(sent)
    const res = await send('/webhook/v1/mqtt-gateway-status', sent, { 'x-gxp-signature': signGxp(key, reserialised) })
    expect(res.status).toBe(401)
    expect(res.body).toBe(INVALID_SIGNATURE)
    expect(station.access.gateways.gateway('GW/RESER')).toBeUndefined()
    // The control: signed over the bytes actually sent, the same body passes.
    expect((await send('/webhook/v1/mqtt-gateway-status', sent, { 'x-gxp-signature': signGxp(key, sent) })).status).toBe(200)
  })
})

describe('400 Validation failed, with dot paths', () => {
  it("attendee-sync without attendees: the doc's example body, byte for byte", async () => {
    const res = await sendSigned('attendee-sync', '{"project_slug":"my-event","team_slug":"my-team","sync_mode":"upsert"}')
    expect(res.status).toBe(400)
    expect(res.body).toBe(
      '{"error":"Validation failed","message":"The given data was invalid","errors":{"attendees":["The attendees field is required"]}}',
    )
  })

  it('mqtt-gateway-status names the nested field: readers.0.status', async () => {
    const res = await sendSigned('mqtt-gateway-status', '{"gateway_id":"GW-001","status":"online","readers":[{"reader_id":"READER-001"}]}')
    expect(res.status).toBe(400)
    expect(res.body).toBe(
      '{"error":"Validation failed","message":"The given data was invalid","errors":{"readers.0.status":["The readers.0.status field is required"]}}',
    )
  })

  it('access-event and cvent report each bad field', async () => {
    const access = await sendSigned('access-event', '{"credential_value":"ABC123456","timestamp":"2024-01-15 14:30"}')
    expect(access.status).toBe(400)
    const errors = (JSON.parse(access.body) as { errors: Record<string, string[]> }).errors
    expect(errors.reader_id).toEqual(['The reader_id field is required'])
    expect(Object.keys(errors).sort()).toEqual(['reader_id', 'timestamp'])

    const event = JSON.stringify({ ...(JSON.parse(cventEvent('evt_bad')) as object), event_type: 'registration.deleted' })
    const cvent = await sendCvent(event, hex(secretOf('cvent'), event))
    expect(cvent.status).toBe(400)
    expect(Object.keys((JSON.parse(cvent.body) as { errors: object }).errors)).toEqual(['event_type'])
  })

  it('attendee-sync validates rows one by one: a bad row is reported with its own field path', async () => {
    const body = JSON.stringify({
      project_slug: 'my-event',
      team_slug: 'my-team',
      attendees: [
        { external_id: 'EXT-100', first_name: 'Ann', last_name: 'Lee' },
        { external_id: 'EXT-101', first_name: 'Bo', last_name: 'Ng', email: 'not-an-email' },
      ],
    })
    const res = await sendSigned('attendee-sync', body)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({
      success: true,
      results: {
        created: 1,
        updated: 0,
        skipped: 0,
        errors: [{ index: 1, external_id: 'EXT-101', errors: { email: ['The email field must be a valid email address'] } }],
      },
    })
  })

  it('signed bodies that are not JSON objects are 400, never 500', async () => {
    for (const body of ['{"gateway_id":', '[]', '"text"', 'null']) {
      const res = await sendSigned('mqtt-gateway-status', body)
      expect(res.status, body).toBe(400)
      expect(JSON.parse(res.body)).toMatchObject({ error: 'Validation failed', message: 'The given data was invalid' })
    }
  })
})

describe('doc-silent errors in the same {error,message} shape', () => {
  const body = '{"gateway_id":"GW-001","status":"online"}'

  it('404 for an unknown path, including a trailing slash', async () => {
    for (const path of ['/webhook/v1/unknown', '/webhook/v2/mqtt-gateway-status', '/webhook/v1/mqtt-gateway-status/', '/']) {
      const res = await send(path, body)
      expect(res.status, path).toBe(404)
      expect(res.body).toBe('{"error":"Not Found","message":"The requested endpoint does not exist"}')
    }
    // Whatever the body: an unknown path is not a body-size or media-type question.
    for (const [payload, type] of [
      ['x'.repeat(2 * 1024 * 1024), 'application/json'],
      ['a=b', 'application/x-www-form-urlencoded'],
    ]) {
      const res = await station.receiver.inject({ method: 'POST', url: '/webhook/v1/unknown', headers: { 'content-type': type! }, payload })
      expect(res.statusCode, type).toBe(404)
    }
  })

  it('405 with Allow: POST for other methods on an endpoint', async () => {
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await station.receiver.inject({ method, url: '/webhook/v1/access-event' })
      expect(res.statusCode, method).toBe(405)
      expect(res.headers.allow).toBe('POST')
      expect(res.body).toBe('{"error":"Method Not Allowed","message":"Webhook endpoints accept POST only"}')
    }
  })

  it('415 for a body that is not declared as JSON, even when correctly signed', async () => {
    const key = secretOf('mqtt-gateway-status')
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await send('/webhook/v1/mqtt-gateway-status', body, { 'content-type': type, 'x-gxp-signature': signGxp(key, body) })
      expect(res.status, type).toBe(415)
      expect(res.body).toBe('{"error":"Unsupported Media Type","message":"The request body must be application/json"}')
    }
    // application/json with a charset parameter is JSON.
    const withCharset = await send('/webhook/v1/mqtt-gateway-status', body, {
      'content-type': 'application/json; charset=utf-8',
      'x-gxp-signature': signGxp(key, body),
    })
    expect(withCharset.status).toBe(200)
  })

  it('413 for a body over 1 MiB on a 1 MiB endpoint, before the signature is looked at', async () => {
    const big = `{"gateway_id":"GW-BIG","status":"online","pad":"${'x'.repeat(1024 * 1024)}"}`
    const res = await send('/webhook/v1/mqtt-gateway-status', big, { 'x-gxp-signature': 'sha256=00' })
    expect(res.status).toBe(413)
    expect(res.body).toBe('{"error":"Payload Too Large","message":"The request body exceeds the limit for this endpoint"}')
  })
})
