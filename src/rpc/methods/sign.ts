/**
 * Message signing with the dev accounts' keys, as wallets expose it: eth_sign and personal_sign
 * (EIP-191 `\x19Ethereum Signed Message:\n` + length; the same signature, arguments swapped) and
 * eth_signTypedData_v4 (EIP-712; `eth_signTypedData` and `_v3` sign through it, as MetaMask does). Signatures are
 * 65 bytes, r ‖ s ‖ v with v = 27 + y-parity, as ethers and viem recover them.
 */
import { keccak256, sign } from '../../crypto/index.ts'
import { bigintToWord, concatBytes, utf8ToBytes, type Address } from '../../primitives/index.ts'
import { parseTypedData, typedDataHash, TypedDataError } from '../../types/index.ts'
import type { Handler, Methods, RpcContext } from '../context.ts'
import { InvalidParamsError, UnauthorizedError } from '../errors.ts'
import { hex } from '../format/hex.ts'
import { address, args, data } from '../params.ts'

/** EIP-191 personal message hash. */
export function personalHash(message: Uint8Array): Uint8Array {
  return keccak256(concatBytes(utf8ToBytes(`\x19Ethereum Signed Message:\n${message.length}`), message))
}

function signHash(ctx: RpcContext, who: Address, hash: Uint8Array): string {
  const key = ctx.signer?.privateKey(who)
  if (!key) throw new UnauthorizedError('unknown account')
  const sig = sign(hash, key)
  return hex(concatBytes(bigintToWord(sig.r), bigintToWord(sig.s), Uint8Array.of(27 + sig.yParity)))
}

const signTypedData: Handler = (ctx, p) => {
  const a = args(p, 2, 2)
  const who = address(a[0], 0)
  let hash: Uint8Array
  try {
    hash = typedDataHash(parseTypedData(a[1]))
  } catch (e) {
    if (e instanceof TypedDataError) throw new InvalidParamsError(`invalid argument 1: ${e.message}`)
    throw e
  }
  return signHash(ctx, who, hash)
}

export const signMethods: Methods = {
  eth_sign(ctx, p) {
    const a = args(p, 2, 2)
    return signHash(ctx, address(a[0], 0), personalHash(data(a[1], 1)))
  },
  personal_sign(ctx, p) {
    const a = args(p, 3, 2)
    return signHash(ctx, address(a[1], 1), personalHash(data(a[0], 0)))
  },
  eth_signTypedData_v4: signTypedData,
  // v3 is v4 without arrays and recursive types: its data hashes the same under v4
  eth_signTypedData_v3: signTypedData,
  eth_signTypedData: signTypedData,
}
