// Notification targets' signing secrets, kept like the receiver's: a 0600 file in the data
// directory (sealed with the desk's OS keychain where there is one), never in the SQLite store,
// so a `gatehouse backup` holds none. Keyed by a random reference stored with the target.
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { plainSealer, type Sealer } from '../secrets'

interface SecretsFile {
  version: 1
  targets: Record<string, { secret: string; created_at: string }>
}

export const NOTIFY_SECRETS_FILE = 'notify-secrets.json'

export type TargetSecrets = ReturnType<typeof createTargetSecrets>

export function createTargetSecrets(options: { dataDir: string; sealer?: Sealer }) {
  const file = join(options.dataDir, NOTIFY_SECRETS_FILE)
  const sealer = options.sealer ?? plainSealer
  let data: SecretsFile = { version: 1, targets: {} }
  let stamp: string | null = null

  const fileStamp = (): string => {
    try {
      const s = statSync(file)
      return `${s.ino}:${s.size}:${s.mtimeMs}`
    } catch {
      return ''
    }
  }

  /** Re-reads the file when it changed (another process, the CLI, added a target). */
  function fresh(): void {
    const now = fileStamp()
    if (now === stamp) return
    if (now === '') {
      data = { version: 1, targets: {} }
      stamp = now
      return
    }
    const envelope = JSON.parse(readFileSync(file, 'utf8')) as { sealed: string; data: string }
    if (envelope.sealed !== 'plain' && envelope.sealed !== sealer.kind) {
      throw new Error(`${file} is sealed with ${envelope.sealed}; open it from the Gatehouse desk that wrote it`)
    }
    data = JSON.parse(envelope.sealed === 'plain' ? envelope.data : sealer.unseal(envelope.data)) as SecretsFile
    stamp = now
  }

  function write(): void {
    const json = JSON.stringify(data)
    const envelope = { sealed: sealer.kind, data: sealer.kind === 'plain' ? json : sealer.seal(json) }
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(envelope, null, 2), { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, file)
    stamp = fileStamp()
  }

  return {
    file,
    get(ref: string): string | undefined {
      fresh()
      return data.targets[ref]?.secret
    },
    put(ref: string, secret: string): void {
      fresh()
      data.targets[ref] = { secret, created_at: new Date().toISOString() }
      write()
    },
    remove(ref: string): void {
      fresh()
      if (!(ref in data.targets)) return
      delete data.targets[ref]
      write()
    },
    exists: (): boolean => existsSync(file),
  }
}
