/**
 * A NATS JetStream server for the tests: NATS_URL when set (.ci/run and `make services` start
 * one with scripts/nats-service.sh), else Debian's nats-server started here with -js on a free
 * loopback port in a temporary directory, stopped by `stop()` (and SIGKILLed when the test
 * process exits, through ./child-process.ts); `own` starts one of our own even with NATS_URL (a
 * test that restarts it). `available` is false when neither is there: the
 * tests then skip with a message.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from './child-process.ts'

export const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server'
export const natsAvailable = !!process.env.NATS_URL || existsSync(NATS_SERVER)
/** Whether a server of our own can be started (a restart test needs one). */
export const natsServerBinary = existsSync(NATS_SERVER)
export const natsSkipReason = `no NATS server: set NATS_URL (make services) or install Debian's nats-server (${NATS_SERVER})`

export interface NatsServer {
  /** `nats://127.0.0.1:PORT`. */
  url: string
  stop(): Promise<void>
  /** Only on a server of our own: stops it (SIGKILL) and starts it again on the same port and store. */
  restart?(): Promise<void>
}

const freePort = () => {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = s.port
  s.stop(true)
  return port
}

const serve = (port: number, dir: string) => startChild([NATS_SERVER, '-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { ready: { up: /Server is ready/ }, timeoutMs: 15_000, name: 'nats-server' })

/** NATS_URL's server, or (without it, or with `own`) a new one of our own. */
export async function startNatsServer(opts: { own?: boolean } = {}): Promise<NatsServer> {
  if (process.env.NATS_URL && !opts.own) return { url: process.env.NATS_URL, stop: async () => {} }
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-nats-'))
  for (let attempt = 1; ; attempt++) {
    const port = freePort()
    try {
      let child = await serve(port, dir)
      return {
        url: `nats://127.0.0.1:${port}`,
        async stop() {
          await child.stop()
          rmSync(dir, { recursive: true, force: true })
        },
        async restart() {
          await child.stop('SIGKILL')
          child = await serve(port, dir)
        },
      }
    } catch (e) {
      if (attempt >= 3) throw e
    }
  }
}
