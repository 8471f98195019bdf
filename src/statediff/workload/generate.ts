/**
 * The workload generator: a seeded, deterministic chain whose state grows to a chosen number of
 * accounts and slots. Each block holds transfers to new accounts (growth) and to old ones,
 * token transfers (new holders' slots, the senders' slots churned), a storage churn (new slots,
 * overwrites, deletes), now and then a contract creation (constructor slots, new code) and,
 * before Cancun, the self-destruct of an earlier contract (account removed, storage wiped).
 * With `reorgs=N`, every N blocks the last 1 to 3 blocks are replaced by a side branch that
 * becomes the head (a reorg, as a consensus client would cause).
 *
 * Blocks are built on the given chain (src/payload's builder) and inserted as its head, so the
 * chain's head events carry them, as they would for imported blocks; each block's RLP comes
 * with it, in build order (abandoned blocks included), so a file of them imports to the same
 * sequence of heads.
 *
 * Consumers: `mosaic statesync --source generate:SPEC`, tests, benches.
 */
import type { Blockchain } from '../../blockchain/index.ts'
import { createAddress } from '../../evm/index.ts'
import { bytesToBigint, xorshift, type Address, type Hash } from '../../primitives/index.ts'
import { buildBlock, type Candidate } from '../../payload/index.ts'
import { encodeBlock, signTransaction, type Block } from '../../types/index.ts'
import { churnData, creationCode, destructibleRuntime, tokenTransferData } from './contracts.ts'
import { churnAddress, seeded, tokenAddress, WORKLOAD_CHAIN_ID, workloadSenders, type WorkloadSpec } from './spec.ts'

export interface GeneratedBlock {
  block: Block
  hash: Hash
  rlp: Uint8Array
  /** It replaced blocks of the canonical chain (the first block of a side branch). */
  reorg: boolean
}

interface Live {
  address: Address
  slots: number
}

/** What the generator knows, copied at every block so that a side branch can start from an old one. */
interface GenState {
  nonces: bigint[]
  recipients: number
  holders: number[]
  churnSlots: number
  contracts: number
  live: Live[]
  accounts: number
  slots: number
  rng: number
}

const copy = (s: GenState): GenState => ({ ...s, nonces: [...s.nonces], holders: [...s.holders], live: [...s.live] })

const MAX_NEW_ACCOUNTS = 1500
const MAX_WRITES = 3000
const WRITES_PER_CHURN = 300

/** Builds the workload on `chain` (opened on the workload's genesis, ./spec.ts), one block per step. */
export function* generateWorkload(chain: Blockchain, spec: WorkloadSpec): Generator<GeneratedBlock> {
  const senders = workloadSenders(spec)
  const churn = churnAddress(spec)
  const tokens = Array.from({ length: spec.tokens }, (_, i) => tokenAddress(spec, i))
  const recipient = (i: number) => seeded(spec.seed, `account ${i}`).subarray(12)
  const holder = (t: number, i: number) => seeded(spec.seed, `holder ${t} ${i}`).subarray(12)
  const churnKey = (i: number) => bytesToBigint(seeded(spec.seed, `slot ${i}`))
  const genesisAccounts = senders.length + tokens.length + 1

  let st: GenState = {
    nonces: senders.map(() => 0n),
    recipients: 0,
    holders: tokens.map(() => 0),
    churnSlots: 0,
    contracts: 0,
    live: [],
    accounts: genesisAccounts,
    slots: tokens.length * senders.length,
    rng: spec.seed * 2654435761 + 1,
  }
  const snapshots = new Map<bigint, GenState>([[chain.head().number, copy(st)]])
  let lastReorg = -1n

  const build = (parentHash: Hash, step: bigint, reorg: boolean): GeneratedBlock => {
    const parent = chain.headerByHash(parentHash)!
    const next = xorshift(st.rng)
    const rand = () => next() / 2 ** 32
    const pick = (n: number) => Math.floor(rand() * n)
    const remaining = Math.max(1, spec.blocks - Number(parent.number))
    const needAccounts = Math.min(MAX_NEW_ACCOUNTS, Math.max(0, Math.ceil((spec.accounts - st.accounts) / remaining)))
    const needSlots = Math.min(MAX_WRITES, Math.max(0, Math.ceil((spec.slots - st.slots) / remaining)))
    const list: Candidate[] = []
    let k = pick(senders.length)
    const send = (to: Address | null, value: bigint, data: Uint8Array, gasLimit: bigint) => {
      const i = k++ % senders.length
      const s = senders[i]!
      const nonce = st.nonces[i]!
      st.nonces[i] = nonce + 1n
      const tx = signTransaction({ type: 2, chainId: WORKLOAD_CHAIN_ID, nonce, maxPriorityFeePerGas: 1n, maxFeePerGas: 100_000_000_000n, gasLimit, to, value, data, accessList: [] }, s.key)
      list.push({ tx, sender: s.address })
      return { sender: s.address, nonce }
    }

    // accounts: transfers to new addresses, and some to old ones
    for (let i = 0; i < needAccounts; i++) send(recipient(st.recipients++), 1_000_000_000n + BigInt(pick(1000)), new Uint8Array(0), 21_000n)
    st.accounts += needAccounts
    for (let i = 0; i < 4 && st.recipients > 0; i++) send(recipient(pick(st.recipients)), BigInt(1 + pick(1000)), new Uint8Array(0), 21_000n)

    // tokens: a fifth of the slot growth as new holders, and transfers between known ones
    const newHolders = Math.floor(needSlots / 5)
    for (let i = 0; i < newHolders + 4; i++) {
      const t = pick(tokens.length)
      const fresh = i < newHolders || st.holders[t] === 0
      const to = fresh ? holder(t, st.holders[t]!++) : holder(t, pick(st.holders[t]!))
      if (fresh) st.slots++
      send(tokens[t]!, 0n, tokenTransferData(to, BigInt(1 + pick(1_000_000))), 100_000n)
    }

    // a contract now and then: constructor slots, new code
    let created = 0
    if (rand() < 0.3) {
      const slots: [bigint, bigint][] = Array.from({ length: 1 + pick(4) }, (_, j) => [BigInt(j + 1), BigInt(1 + pick(2 ** 30))])
      const code = creationCode(slots, destructibleRuntime(seeded(spec.seed, `contract ${st.contracts++}`)))
      const { sender, nonce } = send(null, 0n, code, 100_000n + 25_000n * BigInt(slots.length) + 16n * BigInt(code.length))
      st.live.push({ address: createAddress(sender, nonce), slots: slots.length })
      st.accounts++
      st.slots += slots.length
      created = slots.length
    }
    // before Cancun, a self-destruct of an older one: the account goes, its storage is wiped
    if (spec.fork === 'shanghai' && st.live.length > 3 && rand() < 0.25) {
      const [gone] = st.live.splice(pick(st.live.length - 1), 1)
      send(gone!.address, 0n, new Uint8Array(0), 60_000n)
      st.accounts--
      st.slots -= gone!.slots
    }

    // storage churn: the rest of the growth as new slots, plus overwrites and deletes of old ones
    const writes: [bigint, bigint][] = []
    const fresh = Math.max(0, needSlots - newHolders - created)
    for (let i = 0; i < fresh; i++) writes.push([churnKey(st.churnSlots++), BigInt(1 + pick(2 ** 40))])
    if (st.churnSlots > 0) for (let i = 0, n = 2 + Math.ceil(fresh / 4); i < n; i++) writes.push([churnKey(pick(st.churnSlots)), BigInt(1 + pick(2 ** 40))])
    if (st.churnSlots > 10) for (let i = 0, n = Math.ceil(fresh / 20); i < n; i++) writes.push([churnKey(pick(st.churnSlots)), 0n])
    st.slots += fresh - (st.churnSlots > 10 ? Math.ceil(fresh / 20) : 0)
    for (let i = 0; i < writes.length; i += WRITES_PER_CHURN) {
      const part = writes.slice(i, i + WRITES_PER_CHURN)
      send(churn, 0n, churnData(part), 40_000n + 25_000n * BigInt(part.length))
    }

    st.rng = next()
    const built = buildBlock(chain, list, { parentHash, timestamp: parent.timestamp + step, coinbase: seeded(spec.seed, 'coinbase').subarray(12) })
    const number = parent.number + 1n
    // invariants of the generator itself, not input: every transaction it made fits and succeeds
    if (built.skipped.length) throw new Error(`workload block ${number}: ${built.skipped[0]!.error.message}`)
    if (built.results.length !== list.length) throw new Error(`workload block ${number}: ${list.length - built.results.length} transactions did not fit`)
    const failed = built.results.findIndex((r) => r.execution.status !== 'success')
    if (failed >= 0) throw new Error(`workload block ${number}: transaction ${failed} ended ${built.results[failed]!.execution.status}`)
    chain.insertExecuted(built.executed)
    snapshots.set(number, copy(st))
    snapshots.delete(number - 5n)
    return { block: built.executed.block, hash: built.executed.hash, rlp: encodeBlock(built.executed.block), reorg }
  }

  while (chain.head().number < BigInt(spec.blocks)) {
    const head = chain.head().number
    if (spec.reorgs > 0 && head > lastReorg && head > 0n && head % BigInt(spec.reorgs) === 0n && head < BigInt(spec.blocks)) {
      lastReorg = head
      const depth = BigInt(1 + (st.rng % 3))
      const fork = head - depth < 0n ? 0n : head - depth
      const base = snapshots.get(fork)
      if (base) {
        st = copy({ ...base, rng: st.rng })
        yield build(chain.canonicalHash(fork)!, 13n, true)
        continue
      }
    }
    yield build(chain.headBlockHash(), 12n, false)
  }
}
