/**
 * Runs ethereum/tests TransactionTests: for every test and fork entry, decode `txbytes`,
 * validate it under the fork (chain id 1), recover the sender, and compare with the expected
 * `hash`, `sender` and `intrinsicGas`, or check that it is rejected for the expected reason.
 * Used by `mosaic txtest` and by test/conformance/transaction.test.ts.
 *
 * Fixture exception names (current `TransactionException.*` and the older retesteth ones) map to
 * our `TransactionErrorKind`s in {@link EXCEPTIONS}; a rejection for another reason fails.
 */
import { readFileSync } from 'node:fs'
import { bytesToHex, HexError, hexToBigint, hexToBytes } from '../../primitives/index.ts'
import {
  decodeTransaction,
  intrinsicGas,
  isTxTypeActive,
  parseForkName,
  recoverSender,
  transactionHash,
  TransactionError,
  checkTransactionLimits,
  checkTransactionSignature,
  type ForkName,
  type Transaction,
  type TransactionErrorKind,
} from '../../types/index.ts'

/** Chain id the TransactionTests are filled with. */
export const TX_TEST_CHAIN_ID = 1n

export interface TxTestExpectation {
  hash?: string
  sender?: string
  intrinsicGas?: string
  exception?: string
}

export interface TxTestCase {
  txbytes: string
  result: Record<string, TxTestExpectation>
}

export interface TxTestResult {
  /** The fixture file, as given or found. */
  file: string
  name: string
  /** The fork as the fixture names it. */
  fork: string
  pass: boolean
  /** Why it failed; null when it passed. */
  error: string | null
}

interface ExceptionSpec {
  kinds: readonly TransactionErrorKind[]
  field?: string
}

const k = (kinds: TransactionErrorKind | TransactionErrorKind[], field?: string): ExceptionSpec => ({
  kinds: Array.isArray(kinds) ? kinds : [kinds],
  field,
})

const MALFORMED = k('malformed')

/** Fixture exception names → the rejections that satisfy them. */
export const EXCEPTIONS: Readonly<Record<string, ExceptionSpec>> = {
  // TransactionException.* (execution-spec-tests and current ethereum/tests)
  TYPE_NOT_SUPPORTED: k('unsupported-type'),
  TYPE_3_TX_PRE_FORK: k('unsupported-type'),
  TYPE_4_TX_PRE_FORK: k('unsupported-type'),
  INVALID_SIGNATURE_VRS: k('invalid-signature'),
  INVALID_CHAINID: k('invalid-chain-id'),
  EC_RECOVERY_FAIL: k('recovery-failed'),
  INTRINSIC_GAS_TOO_LOW: k('intrinsic-gas-too-low'),
  INTRINSIC_GAS_BELOW_FLOOR_GAS_COST: k('floor-gas-too-low'),
  NONCE_OVERFLOW: k('nonce-overflow'),
  NONCE_TOO_BIG: k('nonce-max'),
  NONCE_IS_MAX: k('nonce-max'),
  GASLIMIT_OVERFLOW: k('gas-limit-overflow'),
  GAS_LIMIT_EXCEEDS_MAXIMUM: k('gas-limit-too-high'),
  VALUE_OVERFLOW: k('value-overflow', 'value'),
  GASPRICE_OVERFLOW: k('value-overflow'),
  PRIORITY_OVERFLOW: k('value-overflow', 'maxPriorityFeePerGas'),
  GASLIMIT_PRICE_PRODUCT_OVERFLOW: k('fee-product-overflow'),
  PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS: k('priority-fee-too-high'),
  PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2: k('priority-fee-too-high'),
  INITCODE_SIZE_EXCEEDED: k('initcode-too-large'),
  ADDRESS_TOO_SHORT: k('address-length', 'to'),
  ADDRESS_TOO_LONG: k('address-length', 'to'),
  RLP_INVALID_ACCESS_LIST_ADDRESS_TOO_SHORT: k('address-length', 'accessList'),
  RLP_INVALID_ACCESS_LIST_ADDRESS_TOO_LONG: k('address-length', 'accessList'),
  RLP_INVALID_ACCESS_LIST_STORAGE_TOO_SHORT: k('storage-key-length', 'accessList'),
  RLP_INVALID_ACCESS_LIST_STORAGE_TOO_LONG: k('storage-key-length', 'accessList'),
  RLP_LEADING_ZEROS_NONCE: k('leading-zeros', 'nonce'),
  RLP_LEADING_ZEROS_GASLIMIT: k('leading-zeros', 'gasLimit'),
  RLP_LEADING_ZEROS_GASPRICE: k('leading-zeros', 'gasPrice'),
  RLP_LEADING_ZEROS_VALUE: k('leading-zeros', 'value'),
  RLP_LEADING_ZEROS_R: k('leading-zeros', 'r'),
  RLP_LEADING_ZEROS_S: k('leading-zeros', 's'),
  RLP_LEADING_ZEROS_V: k('leading-zeros'),
  RLP_LEADING_ZEROS_BASEFEE: k('leading-zeros', 'maxFeePerGas'),
  RLP_LEADING_ZEROS_PRIORITY_FEE: k('leading-zeros', 'maxPriorityFeePerGas'),
  // Non-canonical length prefixes are RLP errors: the whole input is malformed.
  RLP_LEADING_ZEROS_DATA_SIZE: MALFORMED,
  RLP_LEADING_ZEROS_NONCE_SIZE: MALFORMED,
  RLP_ERROR_SIZE_LEADING_ZEROS: MALFORMED,
  RLP_ERROR_SIZE: MALFORMED,
  RLP_ERROR_EOF: MALFORMED,
  RLP_INVALID_HEADER: k(['malformed', 'unsupported-type']),
  RLP_INVALID_NONCE: k('field-type', 'nonce'),
  RLP_INVALID_GASLIMIT: k('field-type', 'gasLimit'),
  RLP_INVALID_GASPRICE: k('field-type', 'gasPrice'),
  // EEST names a value wider than 256 bits an RLP error (it decodes into a uint256).
  RLP_INVALID_VALUE: k(['field-type', 'value-overflow'], 'value'),
  RLP_INVALID_DATA: k('field-type', 'data'),
  RLP_INVALID_TO: k('field-type', 'to'),
  RLP_INVALID_SIGNATURE_R: k('field-type', 'r'),
  RLP_INVALID_SIGNATURE_S: k('field-type', 's'),
  RLP_TOO_FEW_ELEMENTS: k('field-count'),
  RLP_TOO_MANY_ELEMENTS: k('field-count'),
  TYPE_3_TX_ZERO_BLOBS: k('no-blobs'),
  TYPE_3_TX_CONTRACT_CREATION: k('create-not-allowed'),
  TYPE_4_TX_CONTRACT_CREATION: k('create-not-allowed'),
  TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH: k('blob-version'),
  TYPE_3_TX_BLOB_COUNT_EXCEEDED: k('too-many-blobs'),
  TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED: k('too-many-blobs'),
  TYPE_3_TX_WITH_FULL_BLOBS: k('blob-sidecar'),
  TYPE_4_EMPTY_AUTHORIZATION_LIST: k('empty-authorization-list'),
  TYPE_4_INVALID_AUTHORIZATION_FORMAT: k(['authorization', 'leading-zeros']),

  // Older retesteth names.
  AddressTooShort: k('address-length', 'to'),
  AddressTooLong: k('address-length', 'to'),
  NonceMax: k('nonce-max'),
  TR_NonceHasMaxValue: k('nonce-max'),
  NonceTooLong: k('nonce-overflow'),
  InvalidVRS: k('invalid-signature'),
  InvalidTransactionVRS: k('invalid-signature'),
  InvalidV: k(['field-type', 'invalid-signature']),
  InvalidR: k('field-type', 'r'),
  InvalidS: k('field-type', 's'),
  InvalidChainID: k('invalid-chain-id'),
  ECRecoveryFail: k('recovery-failed'),
  InvalidData: k('field-type', 'data'),
  InvalidNonce: k('field-type', 'nonce'),
  InvalidTo: k('field-type', 'to'),
  InvalidValue: k('field-type', 'value'),
  InvalidGasPrice: k('field-type', 'gasPrice'),
  InvalidGasLimit: k(['field-type', 'gas-limit-overflow'], 'gasLimit'),
  InvalidMaxPriorityFeePerGas: k('field-type', 'maxPriorityFeePerGas'),
  InvalidMaxFeePerGas: k('field-type', 'maxFeePerGas'),
  GasLimitPriceProductOverflow: k('fee-product-overflow'),
  TR_NoFundsX: k('fee-product-overflow'),
  TR_RLP_WRONGVALUE: k('value-overflow'),
  TRANSACTION_VALUE_TOOLARGE: k(['value-overflow', 'nonce-overflow', 'gas-limit-overflow']),
  TRANSACTION_VALUE_TOOSHORT: k(['address-length', 'storage-key-length']),
  '1559BaseFeeTooLarge': k('value-overflow', 'maxFeePerGas'),
  '1559PriorityFeeGreaterThanBaseFee': k('priority-fee-too-high'),
  '1559LeadingZerosBaseFee': k('leading-zeros', 'maxFeePerGas'),
  '1559LeadingZerosPriorityFee': k('leading-zeros', 'maxPriorityFeePerGas'),
  '2930AccessListAddressTooLong': k('address-length', 'accessList'),
  '2930AccessListAddressTooShort': k('address-length', 'accessList'),
  '2930AccessListStorageHashTooLong': k('storage-key-length', 'accessList'),
  '2930AccessListStorageHashTooShort': k('storage-key-length', 'accessList'),
  LeadingZerosGasLimit: k('leading-zeros', 'gasLimit'),
  LeadingZerosGasPrice: k('leading-zeros', 'gasPrice'),
  LeadingZerosValue: k('leading-zeros', 'value'),
  LeadingZerosNonce: k('leading-zeros', 'nonce'),
  LeadingZerosR: k('leading-zeros', 'r'),
  LeadingZerosS: k('leading-zeros', 's'),
  LeadingZerosV: k('leading-zeros'),
  LeadingZerosDataSize: MALFORMED,
  LeadingZerosNonceSize: MALFORMED,
  TR_IntrinsicGas: k('intrinsic-gas-too-low'),
  IntrinsicGas: k('intrinsic-gas-too-low'),
  'intrinsic gas too low': k('intrinsic-gas-too-low'),
  TR_TypeNotSupported: k('unsupported-type'),
  TR_TipGtFeeCap: k('priority-fee-too-high'),
  TR_InitCodeLimitExceeded: k('initcode-too-large'),
  'max initcode size exceeded': k('initcode-too-large'),
  TR_BLOBCREATE: k('create-not-allowed'),
  TR_EMPTYBLOB: k('no-blobs'),
  TR_BLOBVERSION_INVALID: k('blob-version'),
  TR_BLOBLIST_OVERSIZE: k('too-many-blobs'),
  RLP_TooFewElements: k('field-count'),
  RLP_TooManyElements: k('field-count'),
  OVERSIZE_RLP: MALFORMED,
  RLP_Error_EOF: MALFORMED,
  RLP_Error_RLP_Size: MALFORMED,
  RLP_Error_Size_Information: MALFORMED,
  RLP_InputContainsMoreThanOneValue: MALFORMED,
  RLP_VALUESIZE_MORE_AVAILABLEINPUTLENGTH: MALFORMED,
  RLP_ELEMENT_LARGER_CONTAININGLIST_UNDERSIZE: MALFORMED,
  RLP_ELEMENT_LARGER_CONTAININGLIST_OVERSIZE: MALFORMED,
}

/** The spec for one fixture exception name (prefix `TransactionException.` optional), if known. */
export function exceptionSpec(name: string): ExceptionSpec | undefined {
  const bare = name.startsWith('TransactionException.') ? name.slice('TransactionException.'.length) : name
  return EXCEPTIONS[bare]
}

/** Whether `err` satisfies the expected exception (`A|B` alternatives allowed). */
export function matchesException(expected: string, err: TransactionError): boolean {
  return expected.split('|').some((alt) => {
    const spec = exceptionSpec(alt.trim())
    // An unknown name is satisfied by any rejection: we cannot tell more.
    if (!spec) return true
    return spec.kinds.includes(err.kind) && (spec.field === undefined || spec.field === err.field)
  })
}

/**
 * Before its type is active, a typed transaction's payload has no meaning: rejecting it for its
 * type or for a payload that fails to decode are both right. Fixtures filled by clients that did
 * not know the type yet (type 4 before Prague) expect the former; a client that knows the type
 * decodes first, as for the known types.
 */
function typeNotActiveEquivalent(bytes: Uint8Array | null, fork: ForkName, expected: string, out: Outcome): boolean {
  if (!bytes || out.tx !== null || bytes.length === 0 || bytes[0]! >= 0x80 || isTxTypeActive(bytes[0]!, fork)) return false
  return expected.split('|').some((alt) => exceptionSpec(alt.trim())?.kinds.includes('unsupported-type'))
}

type Outcome = { tx: Transaction | null; gas?: bigint; sender?: Uint8Array; error?: TransactionError }

function evaluate(bytes: Uint8Array | null, fork: ForkName): Outcome {
  if (!bytes) return { tx: null, error: new TransactionError('malformed', 'txbytes is not valid hex') }
  let tx: Transaction | null = null
  try {
    tx = decodeTransaction(bytes)
    // The reference clients' order: signature values, then recovery, then gas and bounds.
    const opts = { fork, chainId: TX_TEST_CHAIN_ID }
    checkTransactionSignature(tx, opts)
    const sender = recoverSender(tx)
    const ig = checkTransactionLimits(tx, opts)
    return { tx, gas: ig.gas, sender }
  } catch (err) {
    if (err instanceof TransactionError) return { tx, error: err }
    throw err
  }
}

function describe(err: TransactionError): string {
  return `${err.kind}${err.field ? ` (${err.field})` : ''}: ${err.details ?? err.message}`
}

function check(bytes: Uint8Array | null, fork: ForkName, exp: TxTestExpectation): string | null {
  let out: Outcome
  try {
    out = evaluate(bytes, fork)
  } catch (err) {
    return `crashed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`
  }
  const expectedGas = exp.intrinsicGas !== undefined ? hexToBigint(exp.intrinsicGas) : undefined
  if (exp.exception !== undefined) {
    if (!out.error) return `expected ${exp.exception}, but the transaction is valid (sender ${bytesToHex(out.sender!)})`
    if (!matchesException(exp.exception, out.error) && !typeNotActiveEquivalent(bytes, fork, exp.exception, out))
      return `expected ${exp.exception}, got ${describe(out.error)}`
    // Where the fixture states the intrinsic gas of a rejected transaction, it must agree.
    if (expectedGas && out.tx) {
      const gas = intrinsicGas(out.tx, fork).gas
      if (gas !== expectedGas) return `rejected as expected, but intrinsic gas ${gas} != ${expectedGas}`
    }
    return null
  }
  if (out.error) return `expected a valid transaction, got ${describe(out.error)}`
  const problems: string[] = []
  const hash = bytesToHex(transactionHash(out.tx!))
  if (exp.hash !== undefined && hash !== exp.hash.toLowerCase()) problems.push(`hash ${hash} != ${exp.hash}`)
  const sender = bytesToHex(out.sender!)
  if (exp.sender !== undefined && sender !== exp.sender.toLowerCase()) problems.push(`sender ${sender} != ${exp.sender}`)
  if (expectedGas !== undefined && out.gas !== expectedGas) problems.push(`intrinsic gas ${out.gas} != ${expectedGas}`)
  return problems.length ? problems.join('; ') : null
}

export interface RunOptions {
  /** Run only the entries of this fork. */
  fork?: ForkName
}

/** Runs one test: one result per fork entry (filtered by `opts.fork`). */
export function runTransactionTest(file: string, name: string, test: TxTestCase, opts: RunOptions = {}): TxTestResult[] {
  if (typeof test !== 'object' || test === null || typeof test.txbytes !== 'string' || typeof test.result !== 'object')
    return [{ file, name, fork: '-', pass: false, error: 'not a TransactionTests case (txbytes and result expected)' }]
  let bytes: Uint8Array | null
  try {
    bytes = hexToBytes(test.txbytes)
  } catch (err) {
    if (!(err instanceof HexError)) throw err
    bytes = null
  }
  const out: TxTestResult[] = []
  for (const [forkName, exp] of Object.entries(test.result)) {
    const fork = parseForkName(forkName)
    if (opts.fork !== undefined && fork !== opts.fork) continue
    const error = fork ? check(bytes, fork, exp) : `unknown fork ${forkName}`
    out.push({ file, name, fork: forkName, pass: error === null, error })
  }
  return out
}

/** Runs every test of a fixture file. A file that is not valid JSON is one failing result. */
export function runTransactionTestFile(file: string, opts: RunOptions = {}): TxTestResult[] {
  let json: Record<string, TxTestCase>
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    return [{ file, name: '-', fork: '-', pass: false, error: `cannot read: ${err instanceof Error ? err.message : String(err)}` }]
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return [{ file, name: '-', fork: '-', pass: false, error: 'not a TransactionTests file (a JSON object of tests expected)' }]
  return Object.entries(json).flatMap(([name, test]) => runTransactionTest(file, name, test, opts))
}
