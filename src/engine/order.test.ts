import { describe, expect, test } from 'bun:test'
import { inOrder, isOrderedMethod } from './order.ts'

describe('Engine API call order', () => {
  test('newPayload, forkchoiceUpdated and getPayload queue; the rest do not', () => {
    for (const m of ['engine_newPayloadV1', 'engine_newPayloadV4', 'engine_forkchoiceUpdatedV3', 'engine_getPayloadV5']) expect(isOrderedMethod(m)).toBe(true)
    for (const m of ['engine_getPayloadBodiesByHashV1', 'engine_getBlobsV2', 'engine_exchangeCapabilities', 'eth_call']) expect(isOrderedMethod(m)).toBe(false)
  })

  test('queued calls finish in arrival order, and a failure does not stall the queue', async () => {
    const done: string[] = []
    const m = inOrder({
      engine_newPayloadV3: async (p) => {
        await Bun.sleep(Number((p as number[])[0]))
        done.push(`np${(p as number[])[0]}`)
        if ((p as number[])[0] === 20) throw new Error('boom')
      },
      engine_forkchoiceUpdatedV3: () => void done.push('fcu'),
      engine_getBlobsV1: () => void done.push('blobs'),
    })
    const calls = [m.engine_newPayloadV3!([30]), m.engine_newPayloadV3!([20]), m.engine_forkchoiceUpdatedV3!([]), m.engine_getBlobsV1!([])]
    const settled = await Promise.allSettled(calls)
    expect(done).toEqual(['blobs', 'np30', 'np20', 'fcu'])
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
  })
})
