/**
 * Errors of `mosaic t8n` and their exit codes, numbered as geth's `evm t8n` numbers them
 * (cmd/evm README, "Error codes and output"): 2 an EVM-level failure (a system contract),
 * 3 bad configuration or env, 4 BLOCKHASH of a block whose hash was not given, 10 bad JSON,
 * 11 file I/O, 12 bad RLP. Invalid transactions are not errors of the tool: they are reported in
 * the result's `rejected` list (see t8n-reject.ts).
 */
import { MosaicError } from '../../primitives/index.ts'

export const T8N_EXIT = {
  evm: 2,
  config: 3,
  missingBlockHash: 4,
  json: 10,
  io: 11,
  rlp: 12,
} as const

export type T8nErrorKind = keyof typeof T8N_EXIT

export class T8nError extends MosaicError {
  override name = 'T8nError'
  readonly kind: T8nErrorKind
  readonly exitCode: number

  constructor(kind: T8nErrorKind, details: string, cause?: unknown) {
    super(`T8N_${kind.toUpperCase()}`, 't8n failed', { details, cause })
    this.kind = kind
    this.exitCode = T8N_EXIT[kind]
  }

  /** The line geth prints: `ERROR(3): <details>`. */
  report(): string {
    return `ERROR(${this.exitCode}): ${this.details}`
  }
}
