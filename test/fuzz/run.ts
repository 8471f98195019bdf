/**
 * `make fuzz` (`bun test/fuzz/run.ts [SECONDS]`, default 600, or FUZZ_SECONDS): every decoder
 * (decoder-targets.ts, wire-targets.ts) in this process, then every JSON-RPC method through a
 * `bin/mosaic` execution node (rpc-fuzz.ts), for the time given (decoders 60%, RPC 40%).
 *
 * Inputs are random bytes (coverage-blind), byte mutations and RLP-structure mutations of the
 * seeds and of the corpus. Without coverage feedback, an input is "interesting" when it gives
 * an outcome no input gave before in this run (accepted, or a rejection with a new error code
 * and message shape); up to CORPUS_MAX of them per decoder are kept in test/fuzz/corpus/, one
 * hex line each, and seed the next run. The seed of the run is printed (FUZZ_SEED repeats it).
 *
 * Progress every 10 s on stderr; at the end a table of inputs tried per decoder and calls per
 * answer code, and exit 1 on any finding (a decoder throwing something other than a
 * MosaicError, a non-canonical acceptance, an RPC answer rpc-fuzz.ts refuses, a dead node).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { bytesToHex, MosaicError } from '../../src/primitives/index.ts'
import { rpc, startMosaic } from '../e2e/processes.ts'
import { corpusFile, CORPUS_DIR, DECODER_TARGETS, mutate, readCorpus, rng, type Target } from './decoder-targets.ts'
import { mutateRlp } from './rlp-mutate.ts'
import { emptyRpcStats, FUZZ_METHODS, fuzzCall } from './rpc-fuzz.ts'
import { WIRE_TARGETS } from './wire-targets.ts'

const CORPUS_MAX = 128
/** Longer inputs are not kept (the corpus stays small enough to commit). */
const CORPUS_INPUT_MAX = 1024
const seconds = Number(process.argv[2] ?? process.env.FUZZ_SECONDS ?? 600)
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error(`usage: bun test/fuzz/run.ts [SECONDS] (got ${process.argv[2]})`)
  process.exit(2)
}
const seed = Number(process.env.FUZZ_SEED ?? (Date.now() & 0x7fffffff))
const r = rng(seed)
const log = (s: string) => process.stderr.write(`${s}\n`)
log(`fuzz: ${seconds} s, seed ${seed} (FUZZ_SEED=${seed} repeats this run)`)


/** What a decoder made of an input, with numbers taken out so that lengths and offsets do not count as new. */
function outcome(t: Target, input: Uint8Array): { cls: string; finding?: string } {
  let again: Uint8Array | null
  try {
    again = t.run(input)
  } catch (err) {
    if (!(err instanceof MosaicError)) return { cls: 'crash', finding: `threw ${String(err)}` }
    return { cls: `${err.code}:${err.message}`.replace(/0x[0-9a-fA-F]+/g, '0x…').replace(/\d+/g, '#').slice(0, 120) }
  }
  if (again && bytesToHex(again) !== bytesToHex(input)) return { cls: 'non-canonical', finding: 'accepted, but re-encodes to other bytes' }
  return { cls: 'accepted' }
}

const findings: string[] = []
const rows: string[] = []
const decoderMs = (seconds * 1000 * 0.6) / (DECODER_TARGETS.length + WIRE_TARGETS.length)
let lastProgress = performance.now()

for (const t of [...DECODER_TARGETS, ...WIRE_TARGETS]) {
  const corpus = readCorpus(t.name)
  const pool = [...t.seeds, ...corpus]
  const seen = new Set<string>()
  const fresh: Uint8Array[] = []
  let tried = 0
  let accepted = 0
  const until = performance.now() + decoderMs
  while (performance.now() < until) {
    for (let k = 0; k < 200; k++, tried++) {
      const base = pool[r.int(pool.length)]!
      const pick = r.int(8)
      const input = pick === 0 ? r.bytes(r.int(400)) : pick < 4 ? mutateRlp(r, base) : pick < 7 ? mutate(r, base) : mutate(r, mutateRlp(r, base))
      const o = outcome(t, input)
      if (o.cls === 'accepted') accepted++
      if (o.finding) findings.push(`${t.name}: ${o.finding} on ${bytesToHex(input.subarray(0, 96))}${input.length > 96 ? '…' : ''} (seed ${seed})`)
      if (!seen.has(o.cls)) {
        seen.add(o.cls)
        pool.push(input)
        if (corpus.length + fresh.length < CORPUS_MAX && input.length <= CORPUS_INPUT_MAX) fresh.push(input)
      }
    }
    if (performance.now() - lastProgress > 10_000) {
      lastProgress = performance.now()
      log(`fuzz: ${t.name}: ${tried} inputs, ${seen.size} outcomes, ${findings.length} findings`)
    }
  }
  if (fresh.length) {
    mkdirSync(CORPUS_DIR, { recursive: true })
    writeFileSync(corpusFile(t.name), [...corpus, ...fresh].map(bytesToHex).join('\n') + '\n')
  }
  rows.push(`  ${t.name.padEnd(34)} ${String(tried).padStart(9)} inputs  ${String(accepted).padStart(7)} accepted  ${String(seen.size).padStart(4)} outcomes  corpus ${corpus.length + fresh.length}`)
}

const node = await startMosaic()
const stats = emptyRpcStats()
try {
  const until = performance.now() + seconds * 1000 * 0.4
  while (performance.now() < until) {
    for (const m of FUZZ_METHODS) await fuzzCall(node.url, r, m, stats)
    if (performance.now() - lastProgress > 10_000) {
      lastProgress = performance.now()
      log(`fuzz: rpc: ${stats.sent} calls, ${stats.findings.length} findings`)
    }
  }
  await rpc(node.url, 'eth_chainId').catch((e) => findings.push(`rpc: the node stopped answering: ${String(e)}`))
} finally {
  await node.stop()
}
for (const f of stats.findings) findings.push(`rpc ${f.method}: ${f.problem}; request ${f.body} (seed ${seed})`)

console.log(`decoders (seed ${seed}):\n${rows.join('\n')}`)
console.log(`rpc: ${stats.sent} calls over ${FUZZ_METHODS.length} methods; answers ${[...stats.codes].map(([c, n]) => `${c}: ${n}`).join(', ')}`)
console.log(findings.length ? `${findings.length} findings:\n${findings.slice(0, 50).join('\n')}` : '0 findings')
process.exitCode = findings.length ? 1 : 0
