/**
 * What an execution status means to an RPC caller: geth's VM error texts (core/vm/errors.go),
 * and the error an eth_call-style method reports for a failed run — a revert is code 3 with the
 * revert data, any other halt a -32000 with geth's text.
 */
import type { ExecutionStatus } from '../../evm/index.ts'
import { ExecutionRevertedError, ServerError, type RpcError } from '../errors.ts'

const VM_ERRORS: Record<Exclude<ExecutionStatus, 'success'>, string> = {
  revert: 'execution reverted',
  outOfGas: 'out of gas',
  invalidOpcode: 'invalid opcode',
  stackUnderflow: 'stack underflow',
  stackOverflow: 'stack limit reached 1024',
  invalidJump: 'invalid jump destination',
  staticStateChange: 'write protection',
  returnDataOutOfBounds: 'return data out of bounds',
  invalidContractPrefix: 'invalid code: must not begin with 0xef',
  codeSizeLimit: 'max code size exceeded',
  precompileError: 'precompiled contract failed',
  createCollision: 'contract address collision',
}

/** geth's error text for a failed status; undefined for success. */
export function vmError(status: ExecutionStatus): string | undefined {
  return status === 'success' ? undefined : VM_ERRORS[status]
}

/** The RPC error for a failed run, or undefined when it succeeded. */
export function failure(status: ExecutionStatus, output: Uint8Array): RpcError | undefined {
  if (status === 'success') return undefined
  if (status === 'revert') return new ExecutionRevertedError(output)
  return new ServerError(VM_ERRORS[status])
}
