/** Which pool refusals are the relaying peer's fault: the classification gossip penalises by. */
import { expect, test } from 'bun:test'
import { GETH_MESSAGES, TxPoolError, type TxPoolErrorKind } from '../../src/txpool/index.ts'

test('invalid whatever the state is bad; price, capacity, nonce and balance refusals are not', () => {
  const bad = (Object.keys(GETH_MESSAGES) as TxPoolErrorKind[]).filter((k) => new TxPoolError(k).isBadTransaction())
  expect(bad).toContain('invalid-signature')
  expect(bad).toContain('invalid-chain-id')
  expect(bad).toContain('intrinsic-gas')
  for (const k of ['already-known', 'underpriced', 'replacement-underpriced', 'nonce-too-low', 'insufficient-funds', 'pool-full', 'account-limit', 'fee-cap-below-base-fee'] as TxPoolErrorKind[])
    expect(bad).not.toContain(k)
})
