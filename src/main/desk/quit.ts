// The desk's one way out: whoever asks first (tray Quit, Cmd-Q, SIGINT, a start-up failure, the
// end of a Windows session) starts the single close; everyone after waits on the same promise.
// The process exits once, after the station has closed — or when the watchdog gives up on it.
// Plain Node: the shell passes app.exit in.

export interface QuitPathOptions {
  /** Closes whatever has started (the station, the tray, IPC); may be called only once. */
  close: () => Promise<void>
  /** Ends the process (app.exit in the desk). Called exactly once. */
  exit: (code: number) => void
  /** How long the close may take before the process exits anyway (the store is then reported unclean at the next start). */
  watchdogMs: number
  log: (message: string) => void
}

export interface QuitPath {
  /** Starts the close (the first caller's exit code wins) and resolves when exit has been called. */
  quit(code?: number): Promise<void>
  /** True once a quit has begun: windows may close for real. */
  readonly quitting: boolean
}

export function createQuitPath(options: QuitPathOptions): QuitPath {
  let closing: Promise<void> | null = null
  return {
    get quitting() {
      return closing !== null
    },
    quit(code = 0) {
      closing ??= new Promise<void>((resolve) => {
        let exited = false
        const exitOnce = (exitCode: number): void => {
          if (exited) return
          exited = true
          clearTimeout(watchdog)
          options.exit(exitCode)
          resolve()
        }
        const watchdog = setTimeout(() => {
          options.log(`the station did not close within ${Math.round(options.watchdogMs / 1000)} s; exiting without it`)
          exitOnce(1)
        }, options.watchdogMs)
        // A close that throws synchronously is still a failed close, not a missed exit.
        Promise.resolve()
          .then(options.close)
          .then(
            () => exitOnce(code),
            (err: unknown) => {
              options.log(`closing the station failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
              exitOnce(1)
            },
          )
      })
      return closing
    },
  }
}
