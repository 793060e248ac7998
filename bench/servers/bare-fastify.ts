// Baseline: bare Fastify (its default JSON body parser) answering a fixed JSON to the same POST.
import Fastify from 'fastify'
import type { AddressInfo } from 'node:net'

const app = Fastify({ logger: false, keepAliveTimeout: 10_000 })
const answer = { success: true, access_granted: true, attendee: { id: 1, first_name: 'Jane', last_name: 'Smith' }, reason: 'granted' }
app.post('/webhook/v1/access-event', async () => answer)

await app.listen({ host: '127.0.0.1', port: 0 })
process.send?.({ port: (app.server.address() as AddressInfo).port })
process.on('disconnect', () => void app.close().then(() => process.exit(0)))
