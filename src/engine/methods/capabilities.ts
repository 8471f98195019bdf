/**
 * engine_exchangeCapabilities (common.md, "Capabilities"): the consensus client's method list
 * in, this build's out: every versioned `engine_` method the table serves, without
 * engine_exchangeCapabilities itself (rule 3). Never logs, whatever the caller sends (rule 1).
 */
import { params, positional } from '../fields.ts'
import type { EngineHandler, EngineMethods } from '../types.ts'

export const EXCHANGE_CAPABILITIES = 'engine_exchangeCapabilities'

/** The capabilities a method table offers. */
export function capabilitiesOf(methods: EngineMethods): string[] {
  return Object.keys(methods).filter((m) => m.startsWith('engine_') && m !== EXCHANGE_CAPABILITIES)
}

/** The handler, answering from `served` (read on each call, so a table can still grow). */
export function exchangeCapabilities(served: () => readonly string[]): EngineHandler {
  return (raw) => {
    const theirs = params.list(positional(raw, 1)[0], 'capabilities')
    theirs.forEach((m, i) => {
      if (typeof m !== 'string') params.fail(`capabilities[${i}]`, 'expected a method name')
    })
    return [...served()]
  }
}

/** `methods` plus engine_exchangeCapabilities answering with their engine_ names. */
export function withCapabilities(methods: EngineMethods): EngineMethods {
  const table: EngineMethods = { ...methods }
  table[EXCHANGE_CAPABILITIES] = exchangeCapabilities(() => capabilitiesOf(table))
  return table
}
