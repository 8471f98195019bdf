/** EIP-4895 (Shanghai) withdrawals: `[index, validatorIndex, address, amount]`, amount in gwei. */
import { rlpFixed, rlpList, rlpUint, RlpError, type Address, type RlpInput, type RlpItem } from '../primitives/index.ts'

export interface Withdrawal {
  index: bigint
  validatorIndex: bigint
  address: Address
  /** In gwei. */
  amount: bigint
}

export function withdrawalFromRlp(item: RlpItem): Withdrawal {
  const f = rlpList(item, 'withdrawal')
  if (f.length !== 4) throw new RlpError('wrong-shape', `withdrawal has ${f.length} fields, expected 4`)
  return {
    index: rlpUint(f[0], 'withdrawal index', 8),
    validatorIndex: rlpUint(f[1], 'validator index', 8),
    address: rlpFixed(f[2], 'withdrawal address', 20),
    amount: rlpUint(f[3], 'withdrawal amount', 8),
  }
}

export function withdrawalToRlp(w: Withdrawal): RlpInput {
  return [w.index, w.validatorIndex, w.address, w.amount]
}
