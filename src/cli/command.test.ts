import { expect, test } from 'bun:test'
import { MosaicError } from '../primitives/index.ts'
import { UsageError } from './command.ts'
import { runCommand } from './commands/run.ts'

test('a usage error is a MosaicError with code USAGE and the message as given', async () => {
  let err: unknown
  try {
    await runCommand(['--code', '00', '--gas', 'lots'], { out: () => {}, readFile: async () => '' })
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(UsageError)
  expect(err).toBeInstanceOf(MosaicError)
  expect((err as UsageError).code).toBe('USAGE')
  expect((err as UsageError).name).toBe('UsageError')
  expect((err as UsageError).message).toBe('--gas must be a non-negative integer below 2^53')
})
