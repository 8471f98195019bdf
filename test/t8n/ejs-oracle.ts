/**
 * An independent oracle for t8n tests: the same block run by @ethereumjs/vm (`runBlock` with
 * generated roots). Blob transactions carry no blobs here, so the KZG backend is a stub that is
 * never asked to verify anything.
 */
import { createBlock, genTransactionsTrieRoot, genWithdrawalsTrieRoot } from '@ethereumjs/block'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx'
import { createAccount, createAddressFromString, setLengthLeft, Withdrawal } from '@ethereumjs/util'
import { createVM, runBlock } from '@ethereumjs/vm'
import { bytesToHex, hexToBytes } from '../../src/primitives/index.ts'

const kzgStub = {
  loadTrustedSetup() {},
  blobToKzgCommitment(): string {
    throw new Error('no blobs in these tests')
  },
  computeBlobProof(): string {
    throw new Error('no blobs in these tests')
  },
  verifyProof: () => true,
  verifyBlobProofBatch: () => true,
}

const HARDFORKS = { Shanghai: Hardfork.Shanghai, Cancun: Hardfork.Cancun, Prague: Hardfork.Prague } as const

export interface OracleAccount {
  balance?: string
  nonce?: string
  code?: string
  storage?: Record<string, string>
}

export interface OracleInput {
  fork: keyof typeof HARDFORKS
  alloc: Record<string, OracleAccount>
  coinbase: string
  number: bigint
  timestamp: bigint
  gasLimit: bigint
  baseFee: bigint
  random?: string
  excessBlobGas?: bigint
  parentBeaconBlockRoot?: string
  parentHash?: string
  withdrawals?: { index: bigint; validatorIndex: bigint; address: string; amount: bigint }[]
  /** Canonical encodings of the transactions to include (all must be valid). */
  txs: Uint8Array[]
}

export interface OracleResult {
  stateRoot: string
  receiptsRoot: string
  txRoot: string
  logsBloom: string
  gasUsed: bigint
  withdrawalsRoot?: string
  requestsHash?: string
}

export async function ethereumjsBlock(b: OracleInput): Promise<OracleResult> {
  const common = new Common({ chain: Mainnet, hardfork: HARDFORKS[b.fork], customCrypto: { kzg: kzgStub as never } })
  const vm = await createVM({ common })
  for (const [addr, a] of Object.entries(b.alloc)) {
    const address = createAddressFromString(addr)
    await vm.stateManager.putAccount(address, createAccount({ nonce: BigInt(a.nonce ?? 0), balance: BigInt(a.balance ?? 0) }))
    if (a.code && a.code !== '0x') await vm.stateManager.putCode(address, hexToBytes(a.code))
    for (const [k, v] of Object.entries(a.storage ?? {})) await vm.stateManager.putStorage(address, setLengthLeft(hexToBytes(k), 32), hexToBytes(v))
  }
  const transactions = b.txs.map((t) => createTxFromRLP(t, { common })) as TypedTransaction[]
  const withdrawals = b.withdrawals?.map((w) => new Withdrawal(w.index, w.validatorIndex, createAddressFromString(w.address), w.amount))
  const header: Record<string, unknown> = {
    number: b.number, timestamp: b.timestamp, gasLimit: b.gasLimit, baseFeePerGas: b.baseFee, coinbase: hexToBytes(b.coinbase),
    mixHash: hexToBytes(b.random ?? `0x${'00'.repeat(32)}`), difficulty: 0n,
  }
  if (b.parentHash) header.parentHash = hexToBytes(b.parentHash)
  if (b.fork !== 'Shanghai') Object.assign(header, { excessBlobGas: b.excessBlobGas ?? 0n, parentBeaconBlockRoot: hexToBytes(b.parentBeaconBlockRoot ?? `0x${'00'.repeat(32)}`) })
  const block = createBlock({ header, transactions, withdrawals: withdrawals ?? [] }, { common })
  const r = await runBlock(vm, { block, generate: true, skipBlockValidation: true, skipHeaderValidation: true })
  return {
    stateRoot: bytesToHex(r.stateRoot),
    receiptsRoot: bytesToHex(r.receiptsRoot),
    txRoot: bytesToHex(await genTransactionsTrieRoot(transactions)),
    logsBloom: bytesToHex(r.logsBloom),
    gasUsed: r.gasUsed,
    ...(withdrawals ? { withdrawalsRoot: bytesToHex(await genWithdrawalsTrieRoot(withdrawals)) } : {}),
    ...(r.requestsHash ? { requestsHash: bytesToHex(r.requestsHash) } : {}),
  }
}
