/**
 * The Engine API methods that need no chain: capabilities and client version. The stateful ones
 * (newPayload, forkchoiceUpdated, getPayload, bodies, blobs) are built where the chain, pool and
 * builder are wired, from method-params.ts and payload-block.ts.
 */
export { capabilitiesOf, EXCHANGE_CAPABILITIES, exchangeCapabilities, withCapabilities } from './capabilities.ts'
export { CLIENT_CODE, CLIENT_NAME, detectCommit, getClientVersionV1, type ClientVersionV1 } from './client-version.ts'
