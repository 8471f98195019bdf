/**
 * EVM throughput, side by side: `bun bench/evm.bench.ts` (part of `make bench`). Each workload
 * (bench/evm/workloads.ts) runs on Mosaic with the compiling tier on and off (the interpreter
 * alone) and on @ethereumjs/evm in this process, and on revm via anvil's eth_call, from the same
 * pre-state; outputs must agree. Printed: the best ms per run (the minimum is the statistic that
 * stays put on a shared machine; Mosaic's tiers and revm are timed in interleaved rounds so a
 * load falls on all alike), Mgas/s, and the ratios. For anvil the best time of an eth_call of a
 * STOP contract with the same calldata (the JSON-RPC round trip) is subtracted; workloads are
 * large enough (milliseconds to hundreds) that execution dominates. Then the same ratios in CPU
 * time (mean per call; anvil's from /proc in 10 ms ticks, so summed over a second of calls),
 * which a loaded machine disturbs much less than wall time. MOSAIC_BENCH_ONLY=a,b runs
 * only the named workloads; MOSAIC_BENCH_NO_ANVIL=1 skips anvil.
 */
import { bytesToHex, equalBytes, hexToBytes } from '../src/primitives/index.ts'
import { startAnvil, type Anvil } from './anvil.ts'
import { setJitMode, type JitMode } from '../src/evm/index.ts'
import { anvilEngine, ethereumjsEngine, mosaicEngine, type Run } from './evm/engines.ts'
import { bignumWorkload, callHeavyWorkload, erc20Workload, memoryWorkload, programWorkloads, snailtracerWorkload, uniswapWorkload, type Workload } from './evm/workloads.ts'

const FORK = 'cancun'
/** Warm-up of each Mosaic tier before timing: JavaScriptCore optimizes each compiled block on its
 *  own, and code spread over several contracts (uniswap) needs seconds of running for all. */
const WARM_MS = 4000
const STOP_AT = hexToBytes('0x00000000000000000000000000000000000000ff')

/** Best ms per call after a warm-up; at least `minRuns`, until about `ms` have passed. */
async function perRun(fn: () => unknown, minRuns = 5, ms = 500): Promise<number> {
  Bun.gc(true)
  for (let i = 0; i < 2; i++) await fn()
  const times: number[] = []
  const end = performance.now() + ms
  while (times.length < minRuns || (performance.now() < end && times.length < 500)) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  return Math.min(...times)
}

/**
 * Best ms per call of each engine, timed in rounds: each round runs every engine in turn, each
 * for a burst of back-to-back calls (about `burstMs`, so caches and threads stay warm as in a
 * plain loop), so that a shared machine's load falls on all of them alike. First `warmMs` of
 * warm-up each (JavaScriptCore optimizes code only after it has run a while, the compiled EVM
 * code as the interpreter). At least `minRounds`, until about `ms` have passed.
 */
async function interleaved(engines: (() => unknown)[], warmMs: number, minRounds = 3, ms = 3000, burstMs = 100): Promise<number[]> {
  for (const fn of engines) {
    const end = performance.now() + warmMs
    for (let i = 0; i < 2 || performance.now() < end; i++) await fn()
  }
  Bun.gc(true)
  const best = engines.map(() => Infinity)
  const end = performance.now() + ms
  for (let round = 0; round < minRounds || performance.now() < end; round++) {
    for (let i = 0; i < engines.length; i++) {
      const stop = performance.now() + burstMs
      for (let k = 0; k < 2 || performance.now() < stop; k++) {
        const t = performance.now()
        await engines[i]!()
        best[i] = Math.min(best[i]!, performance.now() - t)
      }
    }
  }
  return best
}

/** Mean CPU ms per call (`cpu` reads a CPU clock in ms), over calls until `minMs` of CPU is spent. */
async function cpuPerCall(fn: () => unknown, cpu: () => number, minMs = 400): Promise<number> {
  // the garbage of what ran before is collected now, not charged to this engine
  Bun.gc(true)
  const start = cpu()
  let calls = 0
  while (calls < 3 || cpu() - start < minMs) {
    await fn()
    calls++
  }
  return (cpu() - start) / calls
}

const ownCpuMs = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function same(name: string, engine: string, a: Run, b: Run): void {
  if (!equalBytes(a.output, b.output)) throw new Error(`${name}: ${engine} returned ${bytesToHex(b.output)}, Mosaic ${bytesToHex(a.output)}`)
}

export async function run(): Promise<void> {
  console.log(`\nEVM (${FORK}): Mosaic vs @ethereumjs/evm vs revm (anvil eth_call), same bytecode and pre-state`)
  const only = process.env.MOSAIC_BENCH_ONLY?.split(',')
  const workloads: Workload[] = [...programWorkloads(), erc20Workload(), uniswapWorkload(), bignumWorkload(), memoryWorkload(), callHeavyWorkload(), snailtracerWorkload()].filter((w) => !only || only.includes(w.name))
  let anvil: Anvil | undefined
  if (!process.env.MOSAIC_BENCH_NO_ANVIL) {
    anvil = await startAnvil(['--hardfork', FORK, '--disable-block-gas-limit', '--disable-code-size-limit'])
    await anvil.rpc('anvil_setCode', [bytesToHex(STOP_AT), '0x00'])
  }
  try {
    for (const w of workloads) {
      const mosaic = mosaicEngine(w, FORK)
      const ref = mosaic()
      const ejs = await ethereumjsEngine(w, FORK)
      const ejsRun = await ejs()
      same(w.name, 'ethereumjs', ref, ejsRun)
      const gasNote = ejsRun.gasUsed === ref.gasUsed ? '' : ` (ethereumjs gas ${ejsRun.gasUsed})`
      setJitMode('on')
      same(w.name, 'mosaic (compiled)', ref, mosaic())
      const tier = (mode: JitMode) => () => {
        setJitMode(mode)
        return mosaic()
      }
      const engines: (() => unknown)[] = [tier('on'), tier('off')]
      if (anvil) {
        const revm = await anvilEngine(w, anvil)
        same(w.name, 'anvil', ref, await revm())
        engines.push(revm, await anvilEngine({ ...w, accounts: [], to: STOP_AT }, anvil))
      }
      const [mine, interp, total, rpc] = await interleaved(engines, WARM_MS)
      // CPU time, which a loaded machine disturbs less than wall time: the mean per call of
      // Mosaic's process and of anvil's (its JSON-RPC handling of a STOP call subtracted)
      const cpuJit = await cpuPerCall(engines[0]!, ownCpuMs)
      const cpuInterp = await cpuPerCall(engines[1]!, ownCpuMs)
      const cpuRevm = anvil ? (await cpuPerCall(engines[2]!, anvil.cpuMs, 1000)) - (await cpuPerCall(engines[3]!, anvil.cpuMs, 300)) : NaN
      setJitMode('auto')
      const theirs = await perRun(ejs, 3)
      const mgas = (ms: number) => (ref.gasUsed / (ms * 1000)).toFixed(0)
      let line = `  ${w.name.padEnd(12)} gas ${String(ref.gasUsed).padStart(10)}${gasNote}  mosaic jit ${mine!.toFixed(2).padStart(7)} ms ${mgas(mine!).padStart(5)} Mgas/s, interp ${interp!.toFixed(2).padStart(7)} ms | ethereumjs ${theirs.toFixed(2).padStart(8)} ms  x${(theirs / mine!).toFixed(1)}`
      if (anvil) {
        const exec = Math.max(total! - rpc!, 0.001)
        line += ` | revm ${exec.toFixed(2).padStart(7)} ms ${mgas(exec).padStart(5)} Mgas/s (rpc ${rpc!.toFixed(2)} ms subtracted)  mosaic/revm jit ${(mine! / exec).toFixed(2)} interp ${(interp! / exec).toFixed(2)} | CPU ms jit ${cpuJit.toFixed(2)} interp ${cpuInterp.toFixed(2)} revm ${cpuRevm.toFixed(2)}: mosaic/revm jit ${(cpuJit / cpuRevm).toFixed(2)} interp ${(cpuInterp / cpuRevm).toFixed(2)}`
      }
      console.log(line)
    }
  } finally {
    await anvil?.stop()
  }
}

if (import.meta.main) await run()
