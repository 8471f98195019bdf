import { describe, expect, test } from 'bun:test'
import { keccak256 } from '../crypto/index.ts'
import { bigintToWord, parseAddress } from '../primitives/index.ts'
import { FlatState } from '../state/index.ts'
import { accountKey, canonicalKey, openMemoryStore, storageKey, Tables } from '../storage/index.ts'
import { openForkCache } from './cache.ts'
import { openForkStore } from './fork-store.ts'
import { RemoteState } from './remote-state.ts'
import { fakeUpstream } from './testing.ts'

const A = parseAddress('0x00000000000000000000000000000000000000aa')
const C = parseAddress('0x00000000000000000000000000000000000000cc')
const DEV = '0x00000000000000000000000000000000000000dd'

function setup() {
  const up = fakeUpstream({ '0x00000000000000000000000000000000000000aa': { balance: 5n }, '0x00000000000000000000000000000000000000cc': { nonce: 1n, code: new Uint8Array([0x00]), storage: [[1n, 11n]] } })
  const remote = new RemoteState({ upstream: up, cache: openForkCache(undefined, 1n, 8n), block: 8n, stateRoot: up.stateRoot })
  const store = openForkStore({ local: openMemoryStore(), remote, forkStateRoot: up.stateRoot, balances: new Map([[DEV, 77n]]) })
  return { up, remote, store, flat: new FlatState(store) }
}

describe('fork store', () => {
  test('flat reads fall through to the upstream; local writes win', () => {
    const { store, flat } = setup()
    expect(flat.getAccount(A)?.balance).toBe(5n)
    expect(flat.getAccount(C)?.code).toEqual(new Uint8Array([0x00]))
    expect(flat.getStorage(C, 1n)).toBe(11n)
    expect(flat.getAccount(parseAddress(DEV))?.balance).toBe(77n)
    store.put(storageKey(C, bigintToWord(1n)), new Uint8Array([3]))
    expect(flat.getStorage(C, 1n)).toBe(3n)
  })

  test('a delete is a tombstone: the upstream value does not come back', () => {
    const { store, flat } = setup()
    const b = store.batch()
    b.delete(storageKey(C, bigintToWord(1n)))
    b.delete(accountKey(A))
    b.write()
    expect(flat.getStorage(C, 1n)).toBe(0n)
    expect(flat.getAccount(A)).toBeUndefined()
    expect([...store.iterate({ prefix: Tables.storage.prefix })]).toEqual([])
  })

  test('the canonical index below the fork block is the upstream; the fork root is an empty node', () => {
    const { store, up } = setup()
    expect(store.get(canonicalKey(2n))).toEqual(keccak256(new TextEncoder().encode('0x2')))
    expect(store.get(canonicalKey(8n))).toBeUndefined()
    expect(store.get(new Uint8Array([...Tables.trieNodes.prefix, ...up.stateRoot]))).toBeDefined()
  })

  test('rebase drops the local writes and reads the new block', () => {
    const { store, flat, up } = setup()
    store.put(accountKey(A), new Uint8Array(0))
    expect(flat.getAccount(A)).toBeUndefined()
    const other = new RemoteState({ upstream: up, cache: openForkCache(undefined, 1n, 9n), block: 9n, stateRoot: up.stateRoot })
    store.rebase(other, up.stateRoot)
    expect([...store.iterate()]).toEqual([])
    expect(new FlatState(store).getAccount(A)?.balance).toBe(5n)
  })
})
