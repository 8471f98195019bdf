/**
 * The executor (layer 5): transaction validation against state and block, execution through the
 * EVM, fees, refunds, EIP-7702 authorizations, receipts. `transact` is the one state transition,
 * with a policy for what a simulation may skip. Consumers: block execution, statetest, t8n,
 * block import and building, the RPC (eth_call & co., tracing).
 */
export { executeTransaction, transactionMessage, logsHash, type ExecuteOptions, type RuleOrder, type TransactionResult } from './execute-transaction.ts'
export {
  transact,
  warmAtTransactionStart,
  BLOCK_POLICY,
  type BlockEnv,
  type BlockUsage,
  type TransactMessage,
  type TransactPolicy,
  type TransactResult,
} from './transact.ts'
export { InvalidTransactionError, TransactError, exceptionOfKind, invalidTransaction, type TransactErrorKind, type TransactionException } from './errors.ts'
export { blobBaseFeeAt, defaultBlobParams, maxBlobsPerBlock } from './blob-fee.ts'
export { validateHeader, nextBaseFee, nextExcessBlobGas, blobBaseFee, fakeExponential, BlockValidationError, GAS_PER_BLOB, type BlockErrorKind, type HeaderContext } from './header-rules.ts'
export { validateBody, transactionsRoot, withdrawalsRoot } from './body-rules.ts'
export { executeBlock, finishBlock, checkBlockResult, applyBlockPrelude, blockEnvOf, type BlockRules, type BlockResult, type BlockHooks } from './execute-block.ts'
export { systemCall, SYSTEM_ADDRESS, BEACON_ROOTS_ADDRESS, HISTORY_STORAGE_ADDRESS, WITHDRAWAL_REQUEST_ADDRESS, CONSOLIDATION_REQUEST_ADDRESS } from './system-calls.ts'
export { depositRequests, depositRequestData, DEPOSIT_EVENT_TOPIC } from './deposits.ts'
