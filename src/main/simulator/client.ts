// Signed webhook requests over keep-alive connections, as a gateway (or Cvent, or a CRM) sends them.
import http from 'node:http'
import https from 'node:https'
import { performance } from 'node:perf_hooks'
import { endpointPath, type EndpointName } from '../../shared/webhooks'
import { SIGNATURE_HEADER, signatureHeaderValue } from '../station/receiver/signature'

export interface Answer {
  /** HTTP status, or 0 when no answer came (the error says why). */
  status: number
  body: Buffer
  ms: number
  error?: string
}

export interface Sender {
  /** Posts `payload` to one endpoint, signed with that endpoint's secret. Never rejects. */
  post(endpoint: EndpointName, payload: unknown, agent: http.Agent, timeoutMs?: number): Promise<Answer>
  agent(maxSockets: number): http.Agent
  close(): void
}

export function createSender(target: string, secrets: Record<EndpointName, string>): Sender {
  const url = new URL(target)
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--target must be an http:// or https:// URL (got "${target}")`)
  const secure = url.protocol === 'https:'
  const request = secure ? https.request : http.request
  const basePath = url.pathname.replace(/\/+$/, '')
  const agents: http.Agent[] = []

  return {
    agent(maxSockets) {
      const options = { keepAlive: true, maxSockets, keepAliveMsecs: 5_000 }
      const a = secure ? new https.Agent(options) : new http.Agent(options)
      agents.push(a)
      return a
    },
    post(endpoint, payload, agent, timeoutMs = 10_000) {
      const body = Buffer.from(JSON.stringify(payload))
      const scheme = endpoint === 'cvent' ? 'cvent' : 'gxp'
      const start = performance.now()
      return new Promise<Answer>((resolve) => {
        let settled = false
        const done = (a: Omit<Answer, 'ms'>): void => {
          if (settled) return
          settled = true
          resolve({ ...a, ms: performance.now() - start })
        }
        const req = request(
          {
            protocol: url.protocol,
            hostname: url.hostname.replace(/^\[|\]$/g, ''),
            port: url.port || (secure ? 443 : 80),
            path: `${basePath}${endpointPath(endpoint)}`,
            method: 'POST',
            agent,
            timeout: timeoutMs,
            headers: {
              'content-type': 'application/json',
              'content-length': body.length,
              [SIGNATURE_HEADER[scheme]]: signatureHeaderValue(scheme, secrets[endpoint], body),
            },
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
            res.on('error', (err) => done({ status: 0, body: Buffer.alloc(0), error: errorName(err) }))
          },
        )
        req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })))
        req.on('error', (err) => done({ status: 0, body: Buffer.alloc(0), error: errorName(err) }))
        req.end(body)
      })
    },
    close() {
      for (const a of agents) a.destroy()
    },
  }
}

const errorName = (err: Error & { code?: string }): string => err.code ?? err.message.slice(0, 60)
