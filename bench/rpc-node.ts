/** A node process for the RPC benches (node, fork, bundle): a free port, one JSON-RPC call, start and wait. */

/** A loopback port nothing listens on (the node is then started on it). */
export async function freePort(): Promise<number> {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const p = s.port
  s.stop(true)
  return p
}

/** One JSON-RPC call; an error answer throws with the method's name. */
export async function call(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const j = (await r.json()) as { result?: unknown; error?: { message: string } }
  if (j.error) throw new Error(`${method}: ${j.error.message}`)
  return j.result
}

/** Starts `cmd` with PORT replaced by a free port, and waits until it answers eth_chainId. */
export async function startRpcNode(cmd: string[]): Promise<{ url: string; stop: () => void }> {
  const port = await freePort()
  const p = Bun.spawn(cmd.map((a) => a.replace('PORT', String(port))), { stdout: 'ignore', stderr: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    try {
      await call(url, 'eth_chainId')
      return { url, stop: () => p.kill() }
    } catch {
      if (i > 1500) throw new Error(`${cmd[0]} did not answer at ${url}`)
      await Bun.sleep(20)
    }
  }
}
