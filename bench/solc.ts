/**
 * Compiles Solidity with the `solc` npm package (its bundled compiler, no download) for the
 * benchmark and comparison set-ups. Throws with solc's messages on a compile error.
 */
import solc from 'solc'
import { hexToBytes } from '../src/primitives/index.ts'

export interface Compiled {
  /** Creation code (constructor + runtime). */
  bytecode: Uint8Array
  /** Runtime code, as deployed. */
  deployed: Uint8Array
  /** Function signature → 4-byte selector, hex without 0x. */
  selectors: Record<string, string>
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[]
  contracts: Record<string, Record<string, { evm: { bytecode: { object: string }; deployedBytecode: { object: string }; methodIdentifiers: Record<string, string> } }>>
}

/** Compiles one source file (optimizer on, 200 runs) and returns every contract in it. */
export function compileSolidity(source: string, evmVersion = 'cancun'): Record<string, Compiled> {
  const input = {
    language: 'Solidity',
    sources: { 'main.sol': { content: source } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion,
      outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'] } },
    },
  }
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`)
  const result: Record<string, Compiled> = {}
  for (const [name, c] of Object.entries(out.contracts['main.sol'] ?? {})) {
    result[name] = {
      bytecode: hexToBytes(`0x${c.evm.bytecode.object}`),
      deployed: hexToBytes(`0x${c.evm.deployedBytecode.object}`),
      selectors: c.evm.methodIdentifiers,
    }
  }
  return result
}
