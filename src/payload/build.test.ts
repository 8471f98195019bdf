import { expect, test } from 'bun:test'
import { Blockchain, ChainError } from '../blockchain/index.ts'
import { dev } from '../chainspec/index.ts'
import { openMemoryStore } from '../storage/index.ts'
import { buildBlock } from './index.ts'

test('building on an unknown parent is a ChainError (UNKNOWN_BLOCK)', () => {
  const chain = Blockchain.open(openMemoryStore(), dev)
  let err: unknown
  try {
    buildBlock(chain, [], { parentHash: new Uint8Array(32).fill(0xab), timestamp: 1n, coinbase: new Uint8Array(20) })
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(ChainError)
  expect((err as ChainError).kind).toBe('UNKNOWN_BLOCK')
  expect((err as ChainError).message).toBe(`cannot build on unknown block ${'ab'.repeat(32)}`)
})
