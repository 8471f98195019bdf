/**
 * Layer 7: the address-appearance index (./address-index.ts): which canonical transactions
 * touched an address, internal calls and creations included, kept on the node's store as
 * blocks become canonical. Consumers: Otterscan's search methods in src/rpc.
 */
export { AddressIndex, type AddressHistory, type AppearanceBlock, type CollectAppearances } from './address-index.ts'
export type { AppearanceRecord, TxAppearances } from './records.ts'
