/**
 * Compiles one code object for one fork into a Program with one `new Function`: the blocks'
 * bodies (emit.ts) as one small function per block, called from a loop over a switch on the
 * block index (the default shape: JavaScriptCore optimizes each small function soon after it
 * gets hot), or as the cases of that switch in one function (MOSAIC_EVM_JIT_SHAPE=switch: the
 * same speed once optimized, but a large function is optimized much later).
 */
import type { CodeAnalysis } from '../analysis.ts'
import type { Fork, Frame } from '../frame.ts'
import { calldataWord } from '../instructions/environment.ts'
import { byteLength, powMod256 } from '../instructions/arithmetic.ts'
import { addressToWord, readWord, writeWord } from '../words.ts'
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
export function compile(code: Uint8Array, analysis: CodeAnalysis, fork: Fork, shape: Shape = SHAPE): { source: string; program: Program } {
  const blocks = splitBlocks(code, analysis.jumpdests, fork)
  const blockAt = new Int32Array(code.length + 1).fill(-3)
  blocks.forEach((b, i) => (blockAt[b.start] = i))
  const ctx = { fork, code, pushes: analysis.pushes, jumpdests: analysis.jumpdests, blockAt }
  const bodies = blocks.map((b) => emitBlock(ctx, b).body)
  const source = `"use strict"
const { M, W, SIGN, H, P, CD, AW, BL, PW, JD, AT, readWord, writeWord } = rt
${shape === 'switch' ? oneFunction(bodies) : perBlock(bodies)}`
  const rt = { M, W, SIGN, H: fork.handlers, P: pure, CD: calldataWord, AW: addressToWord, BL: byteLength, PW: powMod256, JD: analysis.jumpdests, AT: blockAt, readWord, writeWord }
  const program = new Function('rt', source)(rt) as Program
  return { source, program }
}

/** Program shapes: one function per block called from a switch, or every block a case of one function. */
export type Shape = 'blocks' | 'switch'
const SHAPE: Shape = process.env.MOSAIC_EVM_JIT_SHAPE === 'switch' ? 'switch' : 'blocks'

/** Blocks as functions returning the next block's index (-1 done, -2 to the interpreter). */
function perBlock(bodies: string[]): string {
  const fill = (body: string) => body.replaceAll('@DONE', 'return -1').replaceAll('@BACK', 'return -2').replace(/@GO\(([^)]*)\)/g, 'return $1').replaceAll('@SYNC', 'f.sp = sp')
  const fns = bodies.map((body, i) => `function b${i}(f) {\nconst s = f.stack; let sp = f.sp\n${fill(body)}\n}`)
  return `${fns.join('\n')}
return function run(f) {
  let b = AT[f.pc]
  for (;;) {
    switch (b) {
      ${bodies.map((_, i) => `case ${i}: b = b${i}(f); break`).join('\n      ')}
      default: return b === -1
    }
  }
}`
}

/** Blocks as the cases of one loop over a switch; the stack height stays in a local. */
function oneFunction(bodies: string[]): string {
  const fill = (body: string, i: number) =>
    body
      .replaceAll('@DONE', 'return true')
      .replaceAll('@BACK', 'return false')
      .replace(/@GO\(([^)]*)\)/g, (_, n: string) => (n === String(i + 1) ? '{ b = ' + n + '; continue dispatch }' : `{ b = ${n}; continue dispatch }`))
      .replaceAll('@SYNC', '')
  return `return function run(f) {
  const s = f.stack
  let sp = f.sp
  let b = AT[f.pc]
  dispatch: for (;;) {
    switch (b) {
      ${bodies.map((body, i) => `case ${i}: {\n${fill(body, i)}\n}`).join('\n      ')}
      default: return false
    }
  }
}`
}
