/**
 * EIP-7702 authorizations: `[chain_id, address, nonce, y_parity, r, s]`, signed by the authority
 * over keccak256(0x05 || rlp([chain_id, address, nonce])).
 *
 * Decoding enforces the bounds that make the whole transaction invalid (chain id and r, s below
 * 2^256, nonce below 2^64, y parity below 2^8, a 20-byte address). The rest (chain id and nonce
 * against state, low s, recovery) only makes the executor skip the tuple: {@link recoverAuthority}
 * returns null for those.
 */
import { keccak256, recoverAddresses, SECP256K1_N, SECP256K1_N_HALF, sign } from '../crypto/index.ts'
import { bigintToBytes, concatBytes, encodeRlp, type Address, type RlpInput } from '../primitives/index.ts'
import { TransactionError } from './errors.ts'
import type { Authorization } from './transaction.ts'
import { txBytes, txList, uintFromBytes, type Field } from './tx-fields.ts'

const FIELD = 'authorizationList'
/** EIP-7702 signing domain. */
export const AUTHORIZATION_MAGIC = 0x05

function authUint(item: Field | undefined, what: string, maxBytes: number): bigint {
  const b = txBytes(item, FIELD)
  if (b.length > 0 && b[0] === 0) throw new TransactionError('leading-zeros', `authorization ${what} has leading zeros`, { field: FIELD })
  if (b.length > maxBytes) throw new TransactionError('authorization', `authorization ${what} is wider than ${maxBytes * 8} bits`, { field: FIELD })
  return uintFromBytes(b)
}

export function decodeAuthorizationList(item: Field | undefined): Authorization[] {
  const tuples = txList(item, FIELD)
  const out: Authorization[] = new Array(tuples.length)
  for (let i = 0; i < tuples.length; i++) {
    const t = tuples[i]!
    if (!Array.isArray(t) || t.length !== 6)
      throw new TransactionError('authorization', `authorization ${i} must be a list of 6 items`, { field: FIELD })
    const chainId = authUint(t[0], 'chain id', 32)
    const address = txBytes(t[1], FIELD)
    if (address.length !== 20)
      throw new TransactionError('authorization', `authorization ${i} address must be 20 bytes, got ${address.length}`, { field: FIELD })
    const nonce = authUint(t[2], 'nonce', 8)
    const yParity = Number(authUint(t[3], 'y parity', 1))
    const r = authUint(t[4], 'r', 32)
    const s = authUint(t[5], 's', 32)
    out[i] = { chainId, address, nonce, yParity, r, s }
  }
  return out
}

export function authorizationListToRlp(list: readonly Authorization[]): RlpInput[] {
  const u = bigintToBytes
  return list.map((a) => [u(a.chainId), a.address, u(a.nonce), u(a.yParity), u(a.r), u(a.s)])
}

/** The hash the authority signs: keccak256(0x05 || rlp([chain_id, address, nonce])). */
export function authorizationSigningHash(auth: Pick<Authorization, 'chainId' | 'address' | 'nonce'>): Uint8Array {
  return keccak256(concatBytes(Uint8Array.of(AUTHORIZATION_MAGIC), encodeRlp([auth.chainId, auth.address, auth.nonce])))
}

function recoverable(a: Authorization): boolean {
  // EIP-7702 requires s <= n/2 (EIP-2) for authorizations.
  return (a.yParity === 0 || a.yParity === 1) && a.r > 0n && a.r < SECP256K1_N && a.s > 0n && a.s <= SECP256K1_N_HALF
}

/** The authorities of `list`, null where the signature is invalid; one batched native call. */
export function recoverAuthorities(list: readonly Authorization[]): (Address | null)[] {
  const idx: number[] = []
  const inputs = []
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!
    if (!recoverable(a)) continue
    idx.push(i)
    inputs.push({ hash: authorizationSigningHash(a), r: a.r, s: a.s, yParity: a.yParity })
  }
  const out: (Address | null)[] = new Array(list.length).fill(null)
  const got = inputs.length ? recoverAddresses(inputs) : []
  for (let k = 0; k < idx.length; k++) out[idx[k]!] = got[k]!
  return out
}

export function recoverAuthority(auth: Authorization): Address | null {
  return recoverAuthorities([auth])[0]!
}

/** Signs an authorization with `privateKey` (low s). */
export function signAuthorization(
  auth: Pick<Authorization, 'chainId' | 'address' | 'nonce'>,
  privateKey: Uint8Array,
): Authorization {
  const sig = sign(authorizationSigningHash(auth), privateKey)
  return { chainId: auth.chainId, address: auth.address, nonce: auth.nonce, yParity: sig.yParity, r: sig.r, s: sig.s }
}
