import { describe, expect, test } from 'bun:test'
import { bytesToHex, hexToBytes } from '../primitives/index.ts'
import { JournaledState, MemoryState } from './index.ts'

const A = hexToBytes('0x00000000000000000000000000000000000000aa')
const B = hexToBytes('0x00000000000000000000000000000000000000bb')
const block = { coinbase: new Uint8Array(20), number: 1n, timestamp: 1n, gasLimit: 30_000_000n, prevRandao: 0n, baseFee: 7n, blobBaseFee: 1n, chainId: 1n }
const txCtx = { origin: A, gasPrice: 10n, blobHashes: [] }

function setup() {
  const base = new MemoryState()
  base.setAccount(A, { balance: 100n, nonce: 1n, storage: new Map([[1n, 5n]]) })
  const s = new JournaledState(base, { block })
  s.beginTransaction(txCtx)
  return { base, s }
}

describe('JournaledState', () => {
  test('reads through to the base and reverts to a snapshot', () => {
    const { s } = setup()
    expect(s.getBalance(A)).toBe(100n)
    expect(s.getStorage(A, 1n)).toBe(5n)
    const snap = s.snapshot()
    s.transfer(A, B, 40n)
    s.setStorage(A, 1n, 9n)
    s.setTransientStorage(A, 2n, 3n)
    expect(s.warmSlot(A, 1n)).toBe(false)
    expect(s.getBalance(B)).toBe(40n)
    expect(s.getOriginalStorage(A, 1n)).toBe(5n)
    s.revert(snap)
    expect(s.getBalance(A)).toBe(100n)
    expect(s.exists(B)).toBe(false)
    expect(s.getStorage(A, 1n)).toBe(5n)
    expect(s.getTransientStorage(A, 2n)).toBe(0n)
    expect(s.warmSlot(A, 1n)).toBe(false)
  })

  test('tx diff, EIP-161 deletion of touched empty accounts, block diff and root', () => {
    const { base, s } = setup()
    s.setStorage(A, 1n, 0n)
    s.setNonce(A, 2n)
    s.transfer(A, B, 0n) // touches B, which stays empty: not created
    const diff = s.finalizeTransaction()
    expect([...diff.keys()]).toEqual(['00000000000000000000000000000000000000aa'])
    const d = diff.get('00000000000000000000000000000000000000aa')!
    expect(d.before?.nonce).toBe(1n)
    expect(d.after?.nonce).toBe(2n)
    expect(d.storage.get(1n)).toEqual([5n, 0n])

    const root = bytesToHex(base.rootAfter(s.blockDiff()))
    base.apply(s.blockDiff())
    expect(bytesToHex(base.stateRoot())).toBe(root)
    expect(base.hasStorage(A)).toBe(false)
  })

  test('destroyed accounts are deleted at the end of the transaction', () => {
    const { base, s } = setup()
    s.createContract(B)
    s.setStorage(B, 1n, 1n)
    expect(s.isCreatedInTx(B)).toBe(true)
    s.markDestroyed(B)
    const diff = s.finalizeTransaction()
    expect(diff.size).toBe(0)
    expect(s.exists(B)).toBe(false)
    expect(bytesToHex(base.rootAfter(s.blockDiff()))).toBe(bytesToHex(base.stateRoot()))
  })

  test('an account destroyed and re-created in the block keeps a slot written back to its old value', () => {
    const { base, s } = setup()
    s.setBalance(A, 0n) // SELFDESTRUCT sends the balance away
    s.markDestroyed(A) // before Cancun: the account and its storage go at the end of the transaction
    s.finalizeTransaction()
    s.beginTransaction(txCtx)
    s.createContract(A)
    s.setStorage(A, 1n, 5n) // the value it had before the block
    s.finalizeTransaction()
    const d = s.blockDiff().get('00000000000000000000000000000000000000aa')!
    expect(d.storageCleared).toBe(true)
    expect(d.storage.get(1n)).toEqual([5n, 5n])
    const want = new MemoryState()
    want.setAccount(A, { balance: 0n, nonce: 1n, storage: new Map([[1n, 5n]]) })
    expect(bytesToHex(base.rootAfter(s.blockDiff()))).toBe(bytesToHex(want.stateRoot()))
  })

  test('empty state has the empty trie root', () => {
    expect(bytesToHex(new MemoryState().stateRoot())).toBe('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421')
  })
})
