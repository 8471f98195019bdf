/** Shared helpers for the p2p interop tests: bounded waits and an ethereumjs devp2p peer. */
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { ETH, RLPx, type Peer } from '@ethereumjs/devp2p'
import { randomPrivateKey } from '../../src/p2p/index.ts'

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
