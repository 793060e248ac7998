// Per-source signing secrets: generated at first start, kept in a 0600 file in the data directory
// (sealed with the desk's OS keychain where there is one), overridable from the environment.
// Rotation keeps the previous secret valid for a grace period so gateways can move one by one.
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ENDPOINTS, envSuffix, type EndpointName } from '../../shared/webhooks'

export interface Sealer {
  /** 'plain' (headless: protected by file mode 0600) or the name of the OS encryption in use. */
  readonly kind: string
  /** Set when the secrets are less protected than `kind` suggests (shown in the desk). */
  readonly warning?: string
  seal(text: string): string
  unseal(text: string): string
}

export const plainSealer: Sealer = { kind: 'plain', seal: (t) => t, unseal: (t) => t }

interface StoredSecret {
  secret: string
  created_at: string
}
interface SourceSecrets {
  current: StoredSecret
  previous: (StoredSecret & { valid_until: string }) | null
}
interface SecretsFile {
  version: 1
  sources: Partial<Record<EndpointName, SourceSecrets>>
}

export interface SecretInfo {
  endpoint: EndpointName
  /** Where the active secret comes from: the secrets file or an environment variable. */
  origin: 'stored' | 'env'
  env_var: string | null
  secret: string
  created_at: string | null
  previous_valid_until: string | null
}

export class SecretOverriddenError extends Error {
  override name = 'SecretOverriddenError'
}

export const DEFAULT_GRACE_MS = 24 * 3600 * 1000

export const newSecret = (): string => randomBytes(32).toString('hex')

export interface SecretStoreOptions {
  dataDir: string
  env?: NodeJS.ProcessEnv
  sealer?: Sealer
  graceMs?: number
  now?: () => number
}

export type SecretStore = ReturnType<typeof createSecretStore>

export function createSecretStore(options: SecretStoreOptions) {
  const file = join(options.dataDir, 'secrets.json')
  const env = options.env ?? process.env
  const sealer = options.sealer ?? plainSealer
  const now = options.now ?? Date.now
  let data: SecretsFile = { version: 1, sources: {} }
  let stamp = ''
  let keyCache = new Map<EndpointName, Buffer[]>()

  const fileStamp = (): string => {
    try {
      const s = statSync(file)
      return `${s.ino}:${s.size}:${s.mtimeMs}`
    } catch {
      return ''
    }
  }

  function read(): void {
    const raw = readFileSync(file, 'utf8')
    const envelope = JSON.parse(raw) as { sealed: string; data: string }
    if (envelope.sealed !== 'plain' && envelope.sealed !== sealer.kind) {
      throw new Error(`${file} is sealed with ${envelope.sealed}; open it from the Gatehouse desk that wrote it`)
    }
    data = JSON.parse(envelope.sealed === 'plain' ? envelope.data : sealer.unseal(envelope.data)) as SecretsFile
    stamp = fileStamp()
    keyCache = new Map()
  }

  function write(): void {
    const json = JSON.stringify(data)
    const envelope = { sealed: sealer.kind, data: sealer.kind === 'plain' ? json : sealer.seal(json) }
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(envelope, null, 2), { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, file)
    stamp = fileStamp()
    keyCache = new Map()
  }

  const envVarFor = (endpoint: EndpointName): string | null => {
    const own = `GATEHOUSE_SECRET_${envSuffix(endpoint)}`
    if (env[own]) return own
    if (env.GATEHOUSE_SECRET) return 'GATEHOUSE_SECRET'
    return null
  }

  /** Reads the file, generating a secret for every source that has none (first start). */
  function load(): void {
    if (existsSync(file)) read()
    let changed = false
    for (const endpoint of ENDPOINTS) {
      if (!data.sources[endpoint]) {
        data.sources[endpoint] = { current: { secret: newSecret(), created_at: new Date(now()).toISOString() }, previous: null }
        changed = true
      }
    }
    if (changed) write()
  }

  function source(endpoint: EndpointName): SourceSecrets {
    const s = data.sources[endpoint]
    if (!s) throw new Error(`no secret for ${endpoint}; the store was not loaded`)
    return s
  }

  function info(endpoint: EndpointName): SecretInfo {
    const envVar = envVarFor(endpoint)
    const s = source(endpoint)
    const prev = s.previous && Date.parse(s.previous.valid_until) > now() ? s.previous : null
    return {
      endpoint,
      origin: envVar ? 'env' : 'stored',
      env_var: envVar,
      secret: envVar ? env[envVar]! : s.current.secret,
      created_at: envVar ? null : s.current.created_at,
      previous_valid_until: envVar ? null : (prev?.valid_until ?? null),
    }
  }

  return {
    file,
    sealerKind: () => sealer.kind,
    sealerWarning: (): string | null => sealer.warning ?? null,
    load,
    info,
    /** HMAC keys that currently verify for a source: the active one, then one in its grace period. */
    keys(endpoint: EndpointName): Buffer[] {
      const cached = keyCache.get(endpoint)
      if (cached) return cached
      const i = info(endpoint)
      const keys = [Buffer.from(i.secret, 'utf8')]
      if (i.previous_valid_until) keys.push(Buffer.from(source(endpoint).previous!.secret, 'utf8'))
      keyCache.set(endpoint, keys)
      // A grace period ends by the clock, not by a file change: drop the cache when it does.
      if (i.previous_valid_until) {
        const ms = Date.parse(i.previous_valid_until) - now()
        setTimeout(() => keyCache.delete(endpoint), Math.min(Math.max(ms, 0), 2 ** 31 - 1)).unref()
      }
      return keys
    },
    /** Replaces a source's secret; the old one stays valid for `graceMs` (0 = revoke at once). */
    rotate(endpoint: EndpointName, graceMs = options.graceMs ?? DEFAULT_GRACE_MS): SecretInfo {
      const envVar = envVarFor(endpoint)
      if (envVar) throw new SecretOverriddenError(`the ${endpoint} secret comes from ${envVar}; change it there`)
      if (existsSync(file) && fileStamp() !== stamp) read()
      const s = source(endpoint)
      const at = now()
      data.sources[endpoint] = {
        current: { secret: newSecret(), created_at: new Date(at).toISOString() },
        previous: graceMs > 0 ? { ...s.current, valid_until: new Date(at + graceMs).toISOString() } : null,
      }
      write()
      return info(endpoint)
    },
    /** Re-reads the file when another process (the CLI) changed it. */
    reloadIfChanged(): boolean {
      const current = fileStamp()
      if (current === stamp || current === '') return false
      read()
      return true
    },
  }
}
