// Where the station listens: flag over variable over default, and a clear error naming the source
// of a bad value (a silently different listener is the bug this guards against).
import { describe, expect, it } from 'vitest'
import { ListenConfigError, readListenConfig } from './listen-config'

describe('listen config', () => {
  it('has the documented defaults', () => {
    expect(readListenConfig({})).toEqual({
      host: '0.0.0.0',
      port: 8787,
      httpsPort: 8443,
      httpsOptional: true,
      http: true,
      dashboardHost: '127.0.0.1',
      dashboardPort: 8788,
      dashboard: true,
      dashboardNames: [],
      dashboardToken: undefined,
    })
  })

  it('takes the dashboard names from the variable and every --dashboard-name, and a fixed token', () => {
    expect(
      readListenConfig(
        { GATEHOUSE_DASHBOARD_NAMES: ' Desk.Venue.LAN., 10.0.0.5 ,', GATEHOUSE_DASHBOARD_TOKEN: ' tok ' },
        { dashboardNames: ['wall.venue.lan', 'a,b'] },
      ),
    ).toMatchObject({ dashboardNames: ['desk.venue.lan', '10.0.0.5', 'wall.venue.lan', 'a', 'b'], dashboardToken: 'tok' })
  })

  it('takes the environment, and a flag over it; HTTPS port 0 turns HTTPS off', () => {
    const env = { GATEHOUSE_PORT: '9000', GATEHOUSE_HTTPS_PORT: '0', GATEHOUSE_DASHBOARD_PORT: '9002', GATEHOUSE_HOST: '127.0.0.1' }
    expect(readListenConfig(env)).toMatchObject({
      host: '127.0.0.1',
      port: 9000,
      httpsPort: null,
      httpsOptional: false,
      dashboardPort: 9002,
    })
    expect(readListenConfig(env, { port: '9100', httpsPort: '9443', noHttp: true })).toMatchObject({
      port: 9100,
      httpsPort: 9443,
      httpsOptional: false,
      http: false,
    })
  })

  it('refuses a port that is not one, naming the flag or the variable', () => {
    expect(() => readListenConfig({ GATEHOUSE_HTTPS_PORT: 'abc' })).toThrow(ListenConfigError)
    expect(() => readListenConfig({ GATEHOUSE_HTTPS_PORT: 'abc' })).toThrow(
      'GATEHOUSE_HTTPS_PORT must be a port number from 0 to 65535 (got "abc")',
    )
    expect(() => readListenConfig({ GATEHOUSE_PORT: '70000' })).toThrow(/^GATEHOUSE_PORT must be/)
    expect(() => readListenConfig({ GATEHOUSE_DASHBOARD_PORT: '-1' })).toThrow(/^GATEHOUSE_DASHBOARD_PORT must be/)
    expect(() => readListenConfig({}, { port: '8.5' })).toThrow(/^--port must be/)
    expect(() => readListenConfig({}, { dashboardPort: '' })).toThrow(/^--dashboard-port must be/)
  })
})
