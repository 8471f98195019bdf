/** Contract addresses (CREATE: EIP-161 nonce rule; CREATE2: EIP-1014) and EIP-7702 designators. */
import { keccak256 } from '../crypto/index.ts'
import { bigintToWord, encodeRlp, type Address } from '../primitives/index.ts'

/** keccak256(rlp([sender, nonce]))[12:] */
export function createAddress(sender: Address, nonce: bigint): Address {
  return keccak256(encodeRlp([sender, nonce])).slice(12)
}

/** keccak256(0xff ++ sender ++ salt ++ keccak256(initcode))[12:] */
export function create2Address(sender: Address, salt: bigint, initcodeHash: Uint8Array): Address {
  const buf = new Uint8Array(85)
  buf[0] = 0xff
  buf.set(sender, 1)
  buf.set(bigintToWord(salt), 21)
  buf.set(initcodeHash, 53)
  return keccak256(buf).slice(12)
}

/** EIP-7702: code `0xef0100 ++ address` delegates execution to `address`. */
export function isDelegation(code: Uint8Array): boolean {
  return code.length === 23 && code[0] === 0xef && code[1] === 0x01 && code[2] === 0x00
}

/** The delegate of an EIP-7702 designator (caller checked `isDelegation`). */
export const delegateOf = (code: Uint8Array): Address => code.subarray(3, 23)
