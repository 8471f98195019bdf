/**
 * Layer 2: the protocol's data structures as plain data, with their encodings, hashes and
 * stateless validity. Transactions of every mainnet type (legacy, EIP-2930, EIP-1559, EIP-4844
 * with its network form, EIP-7702), headers, blocks, withdrawals, receipts, logs, blooms and
 * EIP-7685 requests.
 *
 * Flow: bytes from RPC, p2p or storage → `decodeTransaction` / `decodeBlock` (syntax) →
 * `validateTransaction(tx, { fork, chainId })` (fork rules, intrinsic gas) → `recoverSenders`
 * (one batched native call per block). Consumers: executor, txpool, blockchain, p2p, rpc.
 */
export * from './fork.ts'
export { TransactionError, type TransactionErrorKind } from './errors.ts'
export * from './transaction.ts'
export { decodeTransaction, decodeBlockTransaction } from './tx-decode.ts'
export { encodeTransaction, encodeBlockTransaction, signingPayload } from './tx-encode.ts'
export { transactionHash, transactionHashes, signingHash } from './tx-hash.ts'
export { recoverSender, recoverSenders, startRecoverSenders, startRecoverSendersInOrder, type SendersInOrder, signTransaction, transactionSignature, legacyParity } from './tx-sign.ts'
export {
  checkTransactionDecoding,
  checkTransactionGas,
  checkTransactionLimits,
  checkTransactionLists,
  checkTransactionSignature,
  isTxTypeActive,
  validateTransaction,
  type ValidationOptions,
} from './tx-validate.ts'
export * from './intrinsic-gas.ts'
export { accessListCounts } from './access-list.ts'
export {
  AUTHORIZATION_MAGIC,
  authorizationSigningHash,
  recoverAuthorities,
  recoverAuthority,
  signAuthorization,
} from './authorization.ts'
export * from './blob.ts'
export * from './header.ts'
export * from './block.ts'
export * from './withdrawal.ts'
export * from './log.ts'
export * from './bloom.ts'
export * from './receipt.ts'
export * from './requests.ts'
export { parseTypedData, typedDataHash, encodeType, TypedDataError, type TypedData, type TypedField } from './typed-data.ts'
