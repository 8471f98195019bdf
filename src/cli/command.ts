import { MosaicError } from '../primitives/index.ts'

/** A CLI subcommand: `mosaic NAME [args]`. `run` returns the process exit code. */
export interface Command {
  name: string
  /** One line for `mosaic --help`. */
  summary: string
  /** Full usage text for `mosaic NAME --help`. */
  usage: string
  run(args: string[]): Promise<number>
}

/** Thrown for bad flags or arguments: printed as one line with the usage hint, exit code 2. */
export class UsageError extends MosaicError {
  override name = 'UsageError'
  declare readonly code: 'USAGE'

  constructor(message: string) {
    super('USAGE', message)
  }
}
