/** State and storage roots through the native secure-trie builder (keccak-hashed keys). */
import { keccak256 } from '../crypto/index.ts'
import { requireNative } from '../crypto/native.ts'
import { bigintToBytes, bigintToWord, encodeRlp, type Address } from '../primitives/index.ts'

/** Root of pairs, keys hashed by the addon. */
export function secureRoot(pairs: readonly [Uint8Array, Uint8Array][]): Uint8Array {
  let klen = 0
  let vlen = 0
  for (const [k, v] of pairs) {
    klen += k.length
    vlen += v.length
  }
  const keys = new Uint8Array(klen)
  const values = new Uint8Array(vlen)
  const ko = new Uint32Array(pairs.length + 1)
  const vo = new Uint32Array(pairs.length + 1)
  let kp = 0
  let vp = 0
  pairs.forEach(([k, v], i) => {
    keys.set(k, kp)
    values.set(v, vp)
    kp += k.length
    vp += v.length
    ko[i + 1] = kp
    vo[i + 1] = vp
  })
  return requireNative().secureTrieRoot(keys, ko, values, vo)
}

/** Storage root: slots as 32-byte keys, RLP of the minimal value bytes. Zero values are absent. */
export function storageRoot(storage: ReadonlyMap<bigint, bigint>): Uint8Array {
  const pairs: [Uint8Array, Uint8Array][] = []
  for (const [k, v] of storage) if (v !== 0n) pairs.push([bigintToWord(k), encodeRlp(bigintToBytes(v))])
  return secureRoot(pairs)
}

export interface RootAccount {
  address: Address
  nonce: bigint
  balance: bigint
  code: Uint8Array
  storage: ReadonlyMap<bigint, bigint>
}

/** State root: account RLP [nonce, balance, storageRoot, codeHash] under keccak(address). */
export function stateRoot(accounts: readonly RootAccount[]): Uint8Array {
  const pairs: [Uint8Array, Uint8Array][] = accounts.map((a) => [
    a.address,
    encodeRlp([a.nonce, a.balance, storageRoot(a.storage), keccak256(a.code)]),
  ])
  return secureRoot(pairs)
}
