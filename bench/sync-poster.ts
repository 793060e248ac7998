// The 100k-row attendee-sync of the sync-stall row, posted from a process of its own: building,
// signing and writing 15 MB would otherwise hold the loop of the process that times the scans,
// and a held timer reads as a slow station. Told `{ base, rows, variant }`, it prepares the body,
// says `ready`, posts on `go`, and answers with the status and the time it took.
import { SECRET } from './load'
import { post, syncBody } from './station-setup'
import { signatureHeaderValue } from '../src/main/station/receiver/signature'

process.once('message', (m: { base: string; rows: number; variant: number }) => {
  const body = syncBody(m.rows, m.variant)
  const signature = signatureHeaderValue('gxp', SECRET, body)
  process.once('message', () => {
    const started = performance.now()
    void post(m.base, 'attendee-sync', body, 'gxp', signature).then(
      (r) => process.send!({ status: r.status, ms: performance.now() - started }, () => process.disconnect()),
      (err: unknown) => process.send!({ status: 0, ms: 0, error: String(err) }, () => process.disconnect()),
    )
  })
  process.send!('ready')
})
