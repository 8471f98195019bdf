import { describe, expect, test } from 'bun:test'
import { keccak256 } from '../crypto/index.ts'
import { bytesToHex, hexToBytes, parseAddress } from '../primitives/index.ts'
import { openForkCache } from './cache.ts'
import { RemoteError } from './errors.ts'
import { RemoteState } from './remote-state.ts'
import { fakeUpstream } from './testing.ts'

const A = '0x00000000000000000000000000000000000000aa'
const C = '0x00000000000000000000000000000000000000cc'
const NONE = '0x00000000000000000000000000000000000000ee'
const CODE = hexToBytes('0x60005460005260206000f3')

function setup(opts: { proofs?: boolean } = {}) {
  const up = fakeUpstream({ [A]: { nonce: 3n, balance: 1000n }, [C]: { nonce: 1n, code: CODE, storage: [[0n, 42n], [7n, 9n]] } })
  up.proofs = opts.proofs ?? true
  const cache = openForkCache(undefined, 1n, 10n)
  const state = new RemoteState({ upstream: up, cache, block: 10n, stateRoot: up.stateRoot })
  return { up, cache, state }
}

describe('RemoteState', () => {
  test('accounts, code and slots, checked with eth_getProof, cached after the first read', () => {
    const { up, state } = setup()
    expect(state.account(parseAddress(A))).toMatchObject({ nonce: 3n, balance: 1000n })
    const c = state.account(parseAddress(C))!
    expect(bytesToHex(c.code)).toBe(bytesToHex(CODE))
    expect(bytesToHex(c.codeHash)).toBe(bytesToHex(keccak256(CODE)))
    expect(state.storage(parseAddress(C), 0n)).toBe(42n)
    expect(state.storage(parseAddress(C), 1n)).toBe(0n)
    expect(state.account(parseAddress(NONE))).toBeUndefined()
    const sent = up.batches.length
    expect(state.account(parseAddress(A))?.balance).toBe(1000n)
    expect(state.storage(parseAddress(C), 0n)).toBe(42n)
    expect(up.batches.length).toBe(sent)
    expect(up.batches[0]).toEqual(['eth_getProof', 'eth_getCode'])
  })

  test('slots of an account without storage (proven empty root) or without account need no trip', () => {
    const { up, state } = setup()
    state.account(parseAddress(A))
    state.account(parseAddress(NONE))
    const sent = up.batches.length
    expect(state.storage(parseAddress(A), 5n)).toBe(0n)
    expect(state.storage(parseAddress(NONE), 5n)).toBe(0n)
    expect(up.batches.length).toBe(sent)
  })

  test('a tampered proof answer is a bad-proof error naming the upstream and the key', () => {
    const { up, state } = setup()
    up.tamper = true
    let err: unknown
    try {
      state.account(parseAddress(A))
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(RemoteError)
    expect((err as RemoteError).kind).toBe('bad-proof')
    expect((err as Error).message).toContain(`upstream fake://upstream: the proof of account ${A} does not verify`)
  })

  test('a proof against another state root does not verify', () => {
    const { up } = setup()
    const state = new RemoteState({ upstream: up, cache: openForkCache(undefined, 1n, 10n), block: 10n, stateRoot: keccak256(new Uint8Array([1])) })
    expect(() => state.storage(parseAddress(C), 0n)).toThrow(/does not verify against block 10's state root/)
  })

  test('without eth_getProof: eth_getBalance, eth_getTransactionCount, eth_getCode, eth_getStorageAt', () => {
    const { up, state } = setup({ proofs: false })
    expect(state.account(parseAddress(A))).toMatchObject({ nonce: 3n, balance: 1000n })
    expect(state.storage(parseAddress(C), 7n)).toBe(9n)
    expect(up.batches.flat()).toContain('eth_getStorageAt')
    // after the first -32601 it stops asking for proofs
    expect(up.batches.slice(1).flat()).not.toContain('eth_getProof')
  })

  test('prefetch: the keys not yet cached, in one batch', () => {
    const { up, state } = setup()
    state.account(parseAddress(A))
    const sent = up.batches.length
    state.prefetch([parseAddress(A), parseAddress(C), parseAddress(NONE)], [[parseAddress(C), 0n], [parseAddress(C), 7n]])
    expect(up.batches.length).toBe(sent + 1)
    expect(up.batches[sent]!.length).toBe(2 + 2 + 2)
    expect(state.storage(parseAddress(C), 7n)).toBe(9n)
    expect(up.batches.length).toBe(sent + 1)
  })

  test('offline: the cache answers; a missing key is an offline-miss naming it', () => {
    const { state, cache } = setup()
    state.account(parseAddress(C))
    const offline = new RemoteState({ cache, block: 10n, stateRoot: new Uint8Array(32) })
    expect(offline.account(parseAddress(C))?.nonce).toBe(1n)
    expect(() => offline.account(parseAddress(A))).toThrow(`--offline: account ${A} at block 10 is not in the fork cache`)
  })

  test('block hashes up to the pinned block', () => {
    const { state } = setup()
    expect(state.blockHash(3n)).toEqual(keccak256(new TextEncoder().encode('0x3')))
    expect(state.blockHash(11n)).toBeUndefined()
  })
})
