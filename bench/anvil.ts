/**
 * Starts anvil (revm) from node_modules on a free port, waits until it answers JSON-RPC, and
 * stops it. Used by the EVM benchmark (the revm ratio) and by the Prague comparison test. Its
 * output goes to /dev/null (a pipe nobody drains would stall it once full).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

const ANVIL = join(import.meta.dir, '..', 'node_modules', '.bin', 'anvil')
const READY_MS = 30_000

export interface Anvil {
  url: string
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>
  stop(): Promise<void>
  /** CPU time (user + system, ms, in clock ticks of 10 ms) anvil's process has used so far. */
  cpuMs(): number
}

/** user + system time of a process and its descendants still running, from /proc, in ms. */
function processTreeCpuMs(pid: number): number {
  let ms = 0
  const visit = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // utime and stime are fields 14 and 15 (1-based), here 11 and 12 after pid, comm and state
      ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
      for (const t of readdirSync(`/proc/${p}/task`)) {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean)) visit(Number(c))
      }
    } catch {
      // the process ended
    }
  }
  visit(pid)
  return ms
}

export class AnvilRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
    this.name = 'AnvilRpcError'
  }
}

/** A port the OS just handed out for 127.0.0.1 (free unless taken in the moment between). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

/** Spawns `anvil --port P ...args`; rejects if it does not answer within 30 s. */
export async function startAnvil(args: string[] = []): Promise<Anvil> {
  const port = await freePort()
  const proc = Bun.spawn([ANVIL, '--port', String(port), '--host', '127.0.0.1', ...args], { stdout: 'ignore', stderr: 'ignore', stdin: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  let id = 0
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) })
    const body = (await res.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } }
    if (body.error) throw new AnvilRpcError(body.error.code, `${method}: ${body.error.message}`, body.error.data)
    return body.result as T
  }
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return
    proc.kill('SIGTERM')
    const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(2000).then(() => false)])
    if (!exited) {
      proc.kill('SIGKILL')
      await proc.exited
    }
  }
  const deadline = Date.now() + READY_MS
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`anvil exited with ${proc.exitCode} before answering (args: ${args.join(' ')})`)
    try {
      await rpc('eth_chainId')
      return { url, rpc, stop, cpuMs: () => processTreeCpuMs(proc.pid) }
    } catch (e) {
      if (e instanceof AnvilRpcError) throw e
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`anvil did not answer on ${url} within ${READY_MS} ms`)
      }
      await Bun.sleep(50)
    }
  }
}
