/**
 * A synchronous upstream in memory for the unit tests: a state committed to a trie, answering
 * eth_getProof (from the trie), eth_getCode, eth_getBalance & co. and eth_getBlockByNumber as a
 * node would, with switches for a node without eth_getProof and for tampered proofs.
 */
import { keccak256 } from '../crypto/index.ts'
import { bigintToHex, bytesToHex, hexToBigint, parseAddress, type Address } from '../primitives/index.ts'
import { commitChangeSet, EMPTY_CODE_HASH, proveAccount, type ChangeSet } from '../state/index.ts'
import { EMPTY_TRIE_ROOT, MemoryNodeStore } from '../trie/index.ts'
import type { SyncUpstream } from './sync-upstream.ts'
import type { RpcCall, RpcOutcome } from './upstream.ts'

export interface FakeAccount {
  nonce?: bigint
  balance?: bigint
  code?: Uint8Array
  storage?: [bigint, bigint][]
}

export interface FakeUpstream extends SyncUpstream {
  readonly stateRoot: Uint8Array
  /** Every batch sent, by method names. */
  readonly batches: string[][]
  proofs: boolean
  tamper: boolean
}

export function fakeUpstream(accounts: Record<string, FakeAccount>): FakeUpstream {
  const nodes = new MemoryNodeStore()
  const codes = new Map<string, Uint8Array>()
  const changes: ChangeSet = Object.entries(accounts).map(([a, x]) => {
    const code = x.code ?? new Uint8Array(0)
    const codeHash = code.length ? keccak256(code) : EMPTY_CODE_HASH
    codes.set(bytesToHex(parseAddress(a)), code)
    return { address: parseAddress(a), after: { nonce: x.nonce ?? 0n, balance: x.balance ?? 0n, codeHash }, cleared: false, wiped: [], slots: (x.storage ?? []).map(([s, v]) => [s, 0n, v]) }
  })
  const commit = commitChangeSet(nodes, EMPTY_TRIE_ROOT, changes)
  nodes.apply(commit.nodes)
  const root = commit.stateRoot
  const proof = (who: Address, slots: bigint[]) => proveAccount(nodes, root, who, slots)
  const up: FakeUpstream = {
    url: 'fake://upstream',
    stateRoot: root,
    batches: [],
    proofs: true,
    tamper: false,
    batchSync(calls: RpcCall[]): RpcOutcome[] {
      up.batches.push(calls.map((c) => c.method))
      return calls.map(({ method, params }): RpcOutcome => {
        const who = typeof params[0] === 'string' && params[0].length === 42 ? parseAddress(params[0]) : new Uint8Array(20)
        switch (method) {
          case 'eth_getProof': {
            if (!up.proofs) return { error: { code: -32601, message: 'the method eth_getProof does not exist' } }
            const keys = params[1] as string[]
            const r = proof(who, keys.map(hexToBigint))
            return {
              result: {
                address: bytesToHex(who),
                accountProof: r.accountProof.map(bytesToHex),
                balance: bigintToHex(up.tamper ? r.balance + 1n : r.balance),
                codeHash: bytesToHex(r.codeHash),
                nonce: bigintToHex(r.nonce),
                storageHash: bytesToHex(r.storageHash),
                storageProof: r.storageProof.map((s, i) => ({ key: keys[i], value: bigintToHex(s.value), proof: s.proof.map(bytesToHex) })),
              },
            }
          }
          case 'eth_getCode':
            return { result: bytesToHex(codes.get(bytesToHex(who)) ?? new Uint8Array(0)) }
          case 'eth_getBalance':
            return { result: bigintToHex(proof(who, []).balance) }
          case 'eth_getTransactionCount':
            return { result: bigintToHex(proof(who, []).nonce) }
          case 'eth_getStorageAt':
            return { result: bigintToHex(proof(who, [hexToBigint(params[1] as string)]).storageProof[0]!.value) }
          case 'eth_getBlockByNumber':
            return { result: { hash: bytesToHex(keccak256(new TextEncoder().encode(params[0] as string))) } }
        }
        return { error: { code: -32601, message: `no ${method}` } }
      })
    },
    close() {},
  }
  return up
}
