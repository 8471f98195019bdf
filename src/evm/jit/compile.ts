/**
 * Compiles one code object for one fork into a Program: its blocks' functions (emit.ts) and a
 * dispatcher that switches on the block index, built with one `new Function` so that each block
 * is its own small JavaScript function (the engine's optimizing tiers take small functions).
 */
import type { CodeAnalysis } from '../analysis.ts'
import type { Fork, Frame } from '../frame.ts'
import { readWord, writeWord } from '../words.ts'
import { splitBlocks } from './blocks.ts'
import { emitBlock } from './emit.ts'
import { pure } from './runtime.ts'

/** Runs a frame from `f.pc` until it stops, halts or suspends (true), or returns false with the
 *  frame handed to the interpreter at `f.pc` (a pc that starts no block, or see emit.ts). */
export type Program = (f: Frame) => boolean

const M = (1n << 256n) - 1n
const W = 1n << 256n
const SIGN = 1n << 255n

/** The generated source (for tests and debugging) and the program. */
export function compile(code: Uint8Array, analysis: CodeAnalysis, fork: Fork): { source: string; program: Program } {
  const blocks = splitBlocks(code, analysis.jumpdests, fork)
  const blockAt = new Int32Array(code.length + 1).fill(-3)
  blocks.forEach((b, i) => (blockAt[b.start] = i))
  const ctx = { fork, code, pushes: analysis.pushes, jumpdests: analysis.jumpdests, blockAt }
  const fns = blocks.map((b, i) => emitBlock(ctx, b, i))
  const cases = blocks.map((_, i) => `case ${i}: b = b${i}(f); break`).join('\n      ')
  const source = `"use strict"
const { M, W, SIGN, H, P, JD, AT, readWord, writeWord } = rt
${fns.join('\n')}
return function run(f) {
  let b = AT[f.pc]
  for (;;) {
    switch (b) {
      ${cases}
      default: return b === -1
    }
  }
}`
  const rt = { M, W, SIGN, H: fork.handlers, P: pure, JD: analysis.jumpdests, AT: blockAt, readWord, writeWord }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const program = new Function('rt', source)(rt) as Program
  return { source, program }
}
