/** Shared helpers for the p2p interop tests: bounded waits and an ethereumjs devp2p peer. */
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { ETH, RLPx, type Peer } from '@ethereumjs/devp2p'
import { createServer, type Socket } from 'node:net'
import {
  ETH69,
  acceptSession,
  computeForkId,
  dialSession,
  publicKeyOf,
  randomPrivateKey,
  startEth,
  type EthPeer,
  type EthStartOptions,
  type Session,
  type SessionOptions,
  type Status69,
} from '../../src/p2p/internals.ts'

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, rej) => {
      t = setTimeout(() => rej(new Error(`timeout: ${what}`)), ms)
    }),
  ])
}

export function mainnetCommon(): Common {
  return new Common({ chain: Mainnet, hardfork: Hardfork.Prague })
}

/** eth/68 for ethereumjs: the eth/64+ Status layout, 17 message ids. */
export const ethjsEth68 = { name: 'eth', version: 68, length: 17, constructor: ETH }

export interface EthjsNode {
  rlpx: RLPx
  privateKey: Uint8Array
  id: Uint8Array
  port: number
  common: Common
  close(): void
}

export async function startEthjs(): Promise<EthjsNode> {
  const privateKey = randomPrivateKey()
  const common = mainnetCommon()
  const rlpx = new RLPx(privateKey, { capabilities: [ethjsEth68], common, maxPeers: 5, timeout: 5000 })
  const listening = new Promise<void>((res) => rlpx.events.once('listening', () => res()))
  rlpx.listen(0, '127.0.0.1')
  await withTimeout(listening, 3000, 'ethjs listen')
  const port = (rlpx['_server'] as { address(): { port: number } }).address().port
  return {
    rlpx,
    privateKey,
    id: rlpx.id,
    port,
    common,
    close() {
      for (const p of rlpx.getPeers()) (p as Peer)['_socket'].destroy()
      try {
        rlpx.destroy()
      } catch {}
    },
  }
}

/** Two Mosaic RLPx sessions on loopback with eth/69 started on both; `close` ends everything. */
export async function mosaicEthPair(
  extra: { a?: Partial<EthStartOptions>; b?: Partial<EthStartOptions>; session?: Partial<SessionOptions> } = {},
): Promise<{ a: EthPeer; b: EthPeer; close(): Promise<void> }> {
  const opts = (): SessionOptions => ({
    privateKey: randomPrivateKey(),
    clientId: 'mosaic/test',
    capabilities: [ETH69],
    listenPort: 0,
    pingIntervalMs: 0,
    handshakeTimeoutMs: 3000,
    ...extra.session,
  })
  const oa = opts()
  const ob = opts()
  let resolveS!: (s: Session) => void
  const got = new Promise<Session>((r) => (resolveS = r))
  const server = createServer((sock: Socket) => resolveS(acceptSession(sock, ob)))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const dialer = dialSession('127.0.0.1', (server.address() as { port: number }).port, publicKeyOf(ob.privateKey), oa)
  const close = async () => {
    dialer.disconnect()
    acceptor?.disconnect()
    await new Promise<void>((r) => server.close(() => r()))
  }
  let acceptor: Session | undefined
  try {
    acceptor = await withTimeout(got, 3000, 'accept')
    await withTimeout(Promise.all([dialer.ready, acceptor.ready]), 3000, 'hello')
    const base = { status: testStatus69(), schedule: testSchedule, head: testHead }
    const [a, b] = await withTimeout(
      Promise.all([startEth(dialer, { ...base, ...extra.a }), startEth(acceptor, { ...base, ...extra.b })]),
      3000,
      'eth status',
    )
    return { a, b, close }
  } catch (e) {
    await close()
    throw e
  }
}

const testGenesis = new Uint8Array(32).fill(0x42)
export const testSchedule = { genesisHash: testGenesis, blockForks: [], timeForks: [1000n, 2000n] }
export const testHead = { number: 100n, time: 1500n }
export const testStatus69 = (): Status69 => ({
  kind: 'Status',
  version: 69,
  networkId: 1337n,
  genesisHash: testGenesis,
  forkId: computeForkId(testSchedule, testHead),
  earliestBlock: 0n,
  latestBlock: 100n,
  latestBlockHash: new Uint8Array(32).fill(7),
})

/** Polls `cond` every 5 ms until it holds or `ms` pass. */
export async function until(cond: () => boolean, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!cond() && Date.now() < deadline) await Bun.sleep(5)
  return cond()
}
