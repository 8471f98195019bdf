/**
 * EIP-7702 authorization processing: each valid tuple of a set-code transaction delegates its
 * authority's code, before the call and not reverted with it. Consumer: transact.
 */
import { bigintToWord, concatBytes, UINT64_MAX, type Address } from '../primitives/index.ts'
import { isDelegation, signatureKey, type SignatureOverrides } from '../evm/index.ts'
import type { JournaledState } from '../state/index.ts'
import { recoverAuthorities, type Authorization } from '../types/index.ts'

const PER_EMPTY_ACCOUNT_COST = 25_000n
const PER_AUTH_BASE_COST = 12_500n
const DELEGATION_PREFIX = Uint8Array.of(0xef, 0x01, 0x00)

/** Sets each valid authority's code to a delegation (the zero address clears it); returns the refund for authorities that already existed. */
export function applyAuthorizations(state: JournaledState, list: readonly Authorization[], chainId: bigint): bigint {
  const authorities = overridden(list, state.signatures) ?? recoverAuthorities(list)
  let refund = 0n
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!
    const authority = authorities[i]
    if ((a.chainId !== 0n && a.chainId !== chainId) || a.nonce >= UINT64_MAX || !authority) continue
    state.warmAddress(authority)
    const code = state.getCode(authority)
    if ((code.length > 0 && !isDelegation(code)) || state.getNonce(authority) !== a.nonce) continue
    if (state.exists(authority)) refund += PER_EMPTY_ACCOUNT_COST - PER_AUTH_BASE_COST
    state.setCode(authority, a.address.every((b) => b === 0) ? new Uint8Array(0) : concatBytes(DELEGATION_PREFIX, a.address))
    state.setNonce(authority, a.nonce + 1n)
  }
  return refund
}

/**
 * The authorities with a dev node's ecrecover overrides first (anvil_impersonateSignature: the
 * signature r || s || v, v = 27 + y parity); undefined when there are none.
 */
function overridden(list: readonly Authorization[], overrides: SignatureOverrides | undefined): (Address | null)[] | undefined {
  if (!overrides?.size) return undefined
  const recovered = recoverAuthorities(list)
  return list.map((a, i) => (a.yParity <= 1 ? overrides.recover(signatureKey(bigintToWord(a.r), bigintToWord(a.s), 27 + a.yParity)) : undefined) ?? recovered[i]!)
}
