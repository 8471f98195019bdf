/**
 * The `blobpool` component: the pool's blob sidecars as the Engine API's blob source — blobs and
 * their proofs by versioned hash (engine_getBlobsV1/V2) and sidecars by transaction hash (the
 * blobsBundle of getPayloadV3–V5). The sidecars live in the txpool's blob pool
 * (src/txpool/blob-pool.ts), which enforces the --blobpool.* limits and drops each sidecar with
 * its transaction; replacing this component swaps where the engine reads blobs from.
 */
import { defineComponent } from '../../node/index.ts'
import type { BlobSource } from './engine.ts'

export const blobPoolComponent = defineComponent({
  name: 'blobpool',
  provides: 'blobSource',
  requires: ['txpool'],
  description: "the txpool's blob sidecars for the Engine API: blobs by versioned hash (getBlobs), sidecars by transaction hash (blobs bundles)",
  create({ txpool }) {
    const service: BlobSource = {
      blobByVersionedHash: (h) => txpool.blobByVersionedHash(h),
      sidecarOf: (h) => txpool.sidecarOf(h),
    }
    return { service }
  },
})
