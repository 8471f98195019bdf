/**
 * Calls that change or read the fork-choice and build state run one at a time, in the order they
 * arrived (common.md, "Message ordering": forkchoiceUpdated calls are processed in the order
 * received; a getPayload must see the build its forkchoiceUpdated started, a newPayload the
 * head its predecessor set). The rest (capabilities, client version, bodies, blobs, the eth_
 * subset) run as they come, so a getBlobs is not held up by a block being executed.
 */
import type { EngineMethods } from './types.ts'

const ORDERED = /^engine_(?:newPayload|forkchoiceUpdated|getPayload)V\d+$/

/** newPayload, forkchoiceUpdated and getPayload, every version. */
export const isOrderedMethod = (method: string): boolean => ORDERED.test(method)

/** `methods` with the ordered ones queued behind each other (a failure does not stall the queue). */
export function inOrder(methods: EngineMethods, isOrdered: (method: string) => boolean = isOrderedMethod): EngineMethods {
  let tail: Promise<unknown> = Promise.resolve()
  const out: EngineMethods = {}
  for (const [name, h] of Object.entries(methods)) {
    if (!isOrdered(name)) {
      out[name] = h
      continue
    }
    out[name] = (params) => {
      const run = tail.then(() => h(params))
      tail = run.catch(() => undefined)
      return run
    }
  }
  return out
}
