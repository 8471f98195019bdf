/** Shared helpers: txpool-profile nodes on loopback, JSON-RPC calls, signed dev transactions, bounded waits. */
import { DEV_PRIVATE_KEYS, dev } from '../../src/chainspec/index.ts'
import { defineNode, type MosaicNode } from '../../src/index.ts'
import { bytesToHex, hexToBytes } from '../../src/primitives/index.ts'
import { randomPrivateKey } from '../../src/p2p/internals.ts'
import { encodeTransaction, signTransaction, type Transaction } from '../../src/types/index.ts'

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return r.json()
}

/** The result, or a thrown error with the RPC error's message. */
export async function call(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await rpc(url, method, params)
  if (r.error) throw new Error(`${method}: ${r.error.message}`)
  return r.result
}

/** A txpool-profile node on the dev chain: free ports, discovery off. */
export function startTxpoolNode(extra: string[] = []): Promise<MosaicNode> {
  const key = extra.includes('--datadir') || extra.includes('--nodekeyhex') ? [] : ['--nodekeyhex', bytesToHex(randomPrivateKey()).slice(2)]
  return defineNode({ profile: 'txpool', args: ['--chain', 'dev', '--nodiscover', '--port', '0', '--http.port', '0', ...key, ...extra] }).start()
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return true
    await Bun.sleep(10)
  }
  return cond()
}

const TO = hexToBytes('0x000000000000000000000000000000000000dead')

/** A signed EIP-1559 transaction of dev account `account`. */
export function devTx(account: number, nonce: bigint, over: { chainId?: bigint; data?: Uint8Array; gas?: bigint } = {}): Transaction {
  return signTransaction(
    { type: 2, chainId: over.chainId ?? dev.chainId, nonce, maxPriorityFeePerGas: 10n ** 9n, maxFeePerGas: 10n ** 10n, gasLimit: over.gas ?? 21_000n, to: TO, value: 1n, data: over.data ?? new Uint8Array(0), accessList: [] },
    hexToBytes(DEV_PRIVATE_KEYS[account]!),
  )
}

export const rawHex = (t: Transaction) => bytesToHex(encodeTransaction(t))
