/**
 * A fuzzing campaign: for each fork, cases from consecutive seeds (a count or a time budget)
 * through `Differ`; a difference is shrunk (transactions dropped, code cut short while it still
 * differs) and printed with its seed. Reports cases run and the opcodes and precompiles reached.
 */
import { definedOpcodes } from './bytecode.ts'
import { generateCase, precompileNumbers, type CaseKind, type FuzzCase, type FuzzFork } from './generate.ts'
import { Coverage, Differ } from './runner.ts'
import { bytesToHex } from '../../src/primitives/index.ts'

export interface CampaignOptions {
  count?: number
  seconds?: number
  seed: number
  forks: FuzzFork[]
  kind?: CaseKind
  log: (line: string) => void
}

export interface CampaignResult {
  cases: number
  differences: { seed: number; fork: FuzzFork; difference: string }[]
  /** Per fork: defined opcodes and precompiles not reached. */
  missedOps: Map<FuzzFork, number[]>
  missedPrecompiles: Map<FuzzFork, number[]>
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const out: CampaignResult = { cases: 0, differences: [], missedOps: new Map(), missedPrecompiles: new Map() }
  for (const fork of o.forks) {
    const differ = await Differ.start(fork)
    const coverage = new Coverage()
    const started = performance.now()
    let n = 0
    try {
      for (let seed = o.seed; ; seed++) {
        if (o.count !== undefined ? n >= o.count : (performance.now() - started) / 1000 >= (o.seconds ?? 0)) break
        const c = generateCase(seed, fork, o.kind)
        const r = await differ.run(c, coverage)
        n++
        if (r.difference) {
          const small = await shrink(differ, c)
          out.differences.push({ seed, fork, difference: r.difference })
          o.log(`DIFF ${fork} seed ${seed} (${c.kind}): ${r.difference}`)
          o.log(`  minimal case: ${describe(small.c)}\n  its difference: ${small.difference}`)
          o.log(`  replay: SEED=${seed} COUNT=1 FORKS=${fork} make fuzz-diff`)
        }
        if (n % 500 === 0) o.log(`${fork}: ${n} cases, ${out.differences.length} differences`)
      }
    } finally {
      await differ.stop()
    }
    out.cases += n
    out.missedOps.set(fork, definedOpcodes(fork).filter((op) => !coverage.ops.has(op)))
    out.missedPrecompiles.set(fork, precompileNumbers(fork).filter((p) => !coverage.precompiles.has(p)))
    const ops = definedOpcodes(fork).length
    o.log(`${fork}: ${n} cases; opcodes reached ${ops - out.missedOps.get(fork)!.length}/${ops}; precompiles ${precompileNumbers(fork).length - out.missedPrecompiles.get(fork)!.length}/${precompileNumbers(fork).length}`)
    if (out.missedOps.get(fork)!.length) o.log(`  opcodes not reached: ${out.missedOps.get(fork)!.map((x) => '0x' + x.toString(16)).join(' ')}`)
    if (out.missedPrecompiles.get(fork)!.length) o.log(`  precompiles not reached: ${out.missedPrecompiles.get(fork)!.join(' ')}`)
  }
  return out
}

/** `make fuzz-diff`: exit code 1 when a case differs. */
export async function fuzzDiff(o: CampaignOptions): Promise<number> {
  const r = await runCampaign(o)
  o.log(`${r.cases} cases, ${r.differences.length} differences`)
  return r.differences.length > 0 ? 1 : 0
}

/** Drops transactions and halves code while the case still differs (bounded number of runs). */
async function shrink(differ: Differ, c: FuzzCase): Promise<{ c: FuzzCase; difference?: string }> {
  let best = c
  let difference = (await differ.run(c)).difference
  let budget = 30
  const attempt = async (x: FuzzCase): Promise<boolean> => {
    if (budget-- <= 0) return false
    const d = (await differ.run(x)).difference
    if (!d) return false
    best = x
    difference = d
    return true
  }
  for (let i = best.txs.length - 1; i >= 0 && best.txs.length > 1; i--) await attempt({ ...best, txs: best.txs.filter((_, j) => j !== i) })
  for (let i = 0; i < best.accounts.length; i++) {
    while (best.accounts[i]!.code.length > 1) {
      const a = best.accounts[i]!
      const cut = { ...a, code: a.code.slice(0, a.code.length >> 1) }
      if (!(await attempt({ ...best, accounts: best.accounts.map((x, j) => (j === i ? cut : x)) }))) break
    }
  }
  return { c: best, difference }
}

function describe(c: FuzzCase): string {
  return JSON.stringify(
    {
      kind: c.kind,
      accounts: c.accounts.map((a) => ({ address: bytesToHex(a.address), balance: String(a.balance), nonce: String(a.nonce), code: bytesToHex(a.code), storage: a.storage.map(([k, v]) => [String(k), String(v)]) })),
      txs: c.txs.map((t) => ({ ...t, to: t.to && bytesToHex(t.to), data: bytesToHex(t.data).slice(0, 600), value: String(t.value), gas: String(t.gas), authorizations: t.authorizations?.map((x) => ({ ...x, address: bytesToHex(x.address), chainId: String(x.chainId), nonce: String(x.nonce), r: String(x.r), s: String(x.s) })), accessList: t.accessList.map((e) => ({ address: bytesToHex(e.address), storageKeys: e.storageKeys.map((k) => bytesToHex(k)) })) })),
    },
    null,
    0,
  )
}
