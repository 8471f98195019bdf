/**
 * anvil_dealERC20 (alias anvil_setERC20Balance) and anvil_setERC20Allowance: set an ERC-20's
 * balance or allowance by finding the storage slot that holds it, as anvil does. The token's
 * `balanceOf(holder)` (or `allowance(owner, spender)`) is run with an access-list tracer to learn
 * the slots it reads; each is tried with a state override holding the wanted amount, and the first
 * whose call then answers that amount is written as a dev edit (anvil_setStorageAt).
 */
import { bigintToWord, bytesToHex, concatBytes, hexToBytes, type Address } from '../../primitives/index.ts'
import type { Methods, RpcContext } from '../context.ts'
import { ServerError } from '../errors.ts'
import { parseStateOverrides } from '../exec/overrides.ts'
import { callBase, runCall } from '../exec/run-call.ts'
import { address, args, quantity } from '../params.ts'
import { AccessListTracer } from '../tracers/access-list.ts'
import { devOf } from './dev.ts'

const BALANCE_OF = hexToBytes('0x70a08231')
const ALLOWANCE = hexToBytes('0xdd62ed3e')

const pad = (a: Address) => concatBytes(new Uint8Array(12), a)

function findSlot(ctx: RpcContext, token: Address, input: Uint8Array, amount: bigint, what: string): bigint {
  const latest = { tag: 'latest' } as const
  const call = { to: token, input }
  const tracer = new AccessListTracer([], [])
  runCall(ctx, callBase(ctx, latest), call, { tracer })
  const want = bytesToHex(bigintToWord(amount))
  for (const item of tracer.accessList()) {
    if (bytesToHex(item.address) !== bytesToHex(token)) continue
    for (const slot of item.storageKeys) {
      const overrides = parseStateOverrides({ [bytesToHex(token)]: { stateDiff: { [bytesToHex(slot)]: want } } }, 0)
      const out = runCall(ctx, callBase(ctx, latest, overrides), call).result.execution
      if (out.status === 'success' && out.output.length === 32 && bytesToHex(out.output) === want) return BigInt(bytesToHex(slot))
    }
  }
  throw new ServerError(`Unable to set ERC20 ${what}, no slot found`)
}

export const anvilErc20Methods: Methods = {
  anvil_dealERC20(ctx, p) {
    const a = args(p, 3, 3)
    const holder = address(a[0], 0)
    const token = address(a[1], 1)
    const amount = quantity(a[2], 2)
    devOf(ctx).setStorageAt(token, findSlot(ctx, token, concatBytes(BALANCE_OF, pad(holder)), amount, 'balance'), amount)
    return null
  },
  anvil_setERC20Allowance(ctx, p) {
    const a = args(p, 4, 4)
    const owner = address(a[0], 0)
    const spender = address(a[1], 1)
    const token = address(a[2], 2)
    const amount = quantity(a[3], 3)
    devOf(ctx).setStorageAt(token, findSlot(ctx, token, concatBytes(ALLOWANCE, pad(owner), pad(spender)), amount, 'allowance'), amount)
    return null
  },
}
