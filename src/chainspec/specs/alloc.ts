/**
 * Public networks' genesis allocations come from the @ethereumjs/genesis data package (address →
 * balance, or [balance, code, storage, nonce]); this turns one into Mosaic's alloc.
 */
import { bytesToHex, hexToBigint, hexToBytes } from '../../primitives/index.ts'
import type { GenesisAccount } from '../types.ts'

type PackagedAccount = string | [string, string?, [string, string][]?, string?]

export function allocFromPackage(state: Record<string, PackagedAccount>): Map<string, GenesisAccount> {
  const out = new Map<string, GenesisAccount>()
  for (const [addr, a] of Object.entries(state)) {
    const [balance, code, storage, nonce] = typeof a === 'string' ? [a] : a
    out.set(bytesToHex(hexToBytes(addr)), {
      balance: hexToBigint(balance),
      nonce: nonce ? hexToBigint(nonce) : 0n,
      code: code ? hexToBytes(code) : new Uint8Array(0),
      storage: new Map((storage ?? []).map(([k, v]) => [hexToBigint(k), hexToBigint(v)])),
    })
  }
  return out
}

/** Loads once, on first use. */
export function lazy<T>(load: () => T): () => T {
  let value: T | undefined
  return () => (value ??= load())
}
