/**
 * Starts anvil (revm) from node_modules on a free port (`--port 0`, the port read from its
 * "Listening on" line), waits until it answers JSON-RPC, and stops it. Used by the EVM
 * benchmark (the revm ratio) and by the Prague comparison test.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const ANVIL = join(import.meta.dir, '..', 'node_modules', '.bin', 'anvil')
const READY_MS = 30_000

export interface Anvil {
  url: string
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>
  stop(): Promise<void>
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

/** Spawns `anvil --port 0 ...args`; rejects if it does not listen within 30 s. */
export async function startAnvil(args: string[] = []): Promise<Anvil> {
  const proc = spawn(ANVIL, ['--port', '0', '--host', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => fail(new Error(`anvil did not start within ${READY_MS} ms: ${out.slice(-500)}`)), READY_MS)
    const fail = (e: Error) => {
      clearTimeout(timer)
      proc.kill()
      reject(e)
    }
    proc.on('error', fail)
    proc.on('exit', (code) => fail(new Error(`anvil exited with ${code}: ${out.slice(-500)}`)))
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /Listening on (\d+\.\d+\.\d+\.\d+:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        proc.removeAllListeners('exit')
        resolve(`http://${m[1]}`)
      }
    }
    proc.stdout!.on('data', onData)
    proc.stderr!.on('data', onData)
  })
  let id = 0
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) })
    const body = (await res.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } }
    if (body.error) throw new AnvilRpcError(body.error.code, `${method}: ${body.error.message}`, body.error.data)
    return body.result as T
  }
  await rpc('eth_chainId')
  return { url, rpc, stop: () => stopProcess(proc) }
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
    proc.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    proc.kill('SIGTERM')
  })
}
