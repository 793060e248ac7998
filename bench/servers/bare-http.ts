// Baseline: bare node:http reading the POST body and answering a fixed JSON (the ceiling).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

const answer = Buffer.from(
  JSON.stringify({ success: true, access_granted: true, attendee: { id: 1, first_name: 'Jane', last_name: 'Smith' }, reason: 'granted' }),
)

const server = http.createServer((req, res) => {
  req.on('data', () => undefined)
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length })
    res.end(answer)
  })
})
server.keepAliveTimeout = 10_000
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }))
process.on('disconnect', () => server.close(() => process.exit(0)))
