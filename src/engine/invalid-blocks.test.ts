/** Blocks found invalid outside the Engine API (sync's import) answer INVALID, with their descendants. */
import { expect, test } from 'bun:test'
import { Blockchain } from '../blockchain/index.ts'
import { dev } from '../chainspec/index.ts'
import { bytesToHex, type Hash } from '../primitives/index.ts'
import { openMemoryStore } from '../storage/index.ts'
import { createEngine } from './index.ts'

const hash = (b: number): Hash => new Uint8Array(32).fill(b)
const zero = bytesToHex(new Uint8Array(32))

test('markInvalid: forkchoiceUpdated to the bad block or a descendant is INVALID with its parent as latestValidHash, and sync is not asked', async () => {
  const chain = Blockchain.open(openMemoryStore(), dev)
  const targets: string[] = []
  const engine = createEngine({ chain, onSyncTarget: (t) => targets.push(bytesToHex(t.hash)) })
  const genesis = bytesToHex(chain.headBlockHash())
  const fcu = async (head: Hash) =>
    ((await engine.call('engine_forkchoiceUpdatedV3', [{ headBlockHash: bytesToHex(head), safeBlockHash: zero, finalizedBlockHash: zero }, null])) as { payloadStatus: unknown }).payloadStatus
  expect(await fcu(hash(2))).toMatchObject({ status: 'SYNCING' })
  engine.markInvalid({ hash: hash(1), parentHash: chain.headBlockHash(), validationError: 'state root mismatch', descendants: [hash(2), hash(3)] })
  expect(await fcu(hash(1))).toEqual({ status: 'INVALID', latestValidHash: genesis, validationError: 'state root mismatch' })
  expect(await fcu(hash(3))).toEqual({ status: 'INVALID', latestValidHash: genesis, validationError: 'links to invalid ancestor: state root mismatch' })
  expect(targets).toEqual([bytesToHex(hash(2))])
  engine.stop()
})
