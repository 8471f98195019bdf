/**
 * The bridge's worker: runs the asynchronous upstream client (./upstream.ts) for the blocked main
 * thread. A request arrives as a message; the answer is written into the shared buffer
 * (state word, length, UTF-8 JSON) and the main thread woken with Atomics.notify.
 */
import { RemoteError } from './errors.ts'
import { BRIDGE_HEADER_BYTES, BridgeState, type BridgeRequest } from './bridge-protocol.ts'
import { UpstreamClient, type UpstreamOptions } from './upstream.ts'

declare const self: Worker

let client: UpstreamClient | undefined
let shared: SharedArrayBuffer | undefined

function reply(seq: number, state: BridgeState, payload: unknown): void {
  const buf = shared!
  const control = new Int32Array(buf, 0, 3)
  let bytes = new TextEncoder().encode(JSON.stringify(payload))
  if (bytes.length > buf.byteLength - BRIDGE_HEADER_BYTES) {
    state = BridgeState.Failed
    bytes = new TextEncoder().encode(JSON.stringify({ kind: 'too-large', message: `the upstream's answer (${bytes.length} bytes) does not fit the bridge buffer (${buf.byteLength - BRIDGE_HEADER_BYTES} bytes)` }))
  }
  new Uint8Array(buf, BRIDGE_HEADER_BYTES).set(bytes)
  control[1] = bytes.length
  control[2] = seq
  Atomics.store(control, 0, state)
  Atomics.notify(control, 0)
}

self.onmessage = async (e: MessageEvent) => {
  const m = e.data as { init?: { options: UpstreamOptions; buffer: SharedArrayBuffer } } & Partial<BridgeRequest>
  if (m.init) {
    client = new UpstreamClient(m.init.options)
    shared = m.init.buffer
    self.postMessage('ready')
    return
  }
  try {
    reply(m.seq!, BridgeState.Done, await client!.batch(m.calls!, m.what!))
  } catch (err) {
    reply(m.seq!, BridgeState.Failed, err instanceof RemoteError ? { kind: err.kind, message: err.message } : { kind: 'unreachable', message: err instanceof Error ? err.message : String(err) })
  }
}
