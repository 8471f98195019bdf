/** Hand-assembled runtime code for RPC tests (no compiler needed). */
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes, type Address } from '../../primitives/index.ts'

const enc = (s: string) => hexToBytes(s)

/** slot0 = calldata[0:32]; LOG1(topic 0xaa, data = that word); returns it. */
export const STORE_LOG = enc('0x60003580600055600052' + '60aa60206000a1' + '60206000f3')
export const LOG_TOPIC = '0x' + 'aa'.padStart(64, '0')

/** Reverts with Error(reason). */
export function reverter(reason: string): Uint8Array {
  const r = utf8ToBytes(reason)
  const padded = new Uint8Array(Math.ceil(r.length / 32) * 32 || 32)
  padded.set(r)
  const len = new Uint8Array(32)
  len[31] = r.length
  const off = new Uint8Array(32)
  off[31] = 0x20
  const data = concatBytes(enc('0x08c379a0'), off, len, padded)
  const n = data.length.toString(16).padStart(2, '0')
  return concatBytes(enc(`0x60${n}600c600039` + `60${n}6000fd`), data)
}

/** Forwards its calldata to `target` with CALL and returns the first 32 bytes of the answer. */
export function forwarder(target: Address): Uint8Array {
  return enc('0x366000600037' + '6020600036600060007' + '3' + bytesToHex(target).slice(2) + '5af1' + '50' + '60206000f3')
}

/** Succeeds only when more than 50000 gas is left at its first instruction (estimateGas search). */
export const NEEDS_50K = enc('0x5a61c35010600d5760006000fd5b00')

/** Runs an endless loop (timeouts, out of gas). */
export const LOOP = enc('0x5b600056')
