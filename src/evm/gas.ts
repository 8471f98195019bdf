/** Named gas constants (yellow paper names in comments) and memory-expansion cost. */

export const G_JUMPDEST = 1
export const G_BASE = 2
export const G_VERYLOW = 3
export const G_LOW = 5
export const G_MID = 8
export const G_HIGH = 10
export const G_EXP = 10
export const G_EXP_BYTE = 50 // EIP-160
export const G_KECCAK = 30
export const G_KECCAK_WORD = 6
export const G_COPY_WORD = 3
export const G_MEMORY = 3
export const G_QUAD_DIVISOR = 512
export const G_LOG = 375
export const G_LOG_TOPIC = 375
export const G_LOG_DATA = 8
export const G_BLOCKHASH = 20
export const G_CREATE = 32000
export const G_CODE_DEPOSIT = 200
export const G_INITCODE_WORD = 2 // EIP-3860
export const G_CALL_VALUE = 9000
export const G_CALL_STIPEND = 2300
export const G_NEW_ACCOUNT = 25000
export const G_SELFDESTRUCT = 5000
// EIP-2929
export const G_WARM_ACCESS = 100
export const G_COLD_ACCOUNT_ACCESS = 2600
export const G_COLD_SLOAD = 2100
// EIP-2200 / EIP-3529
export const G_SSTORE_SET = 20000
export const G_SSTORE_RESET = 5000
export const R_SSTORE_CLEARS = 4800 // EIP-3529
// EIP-1153
export const G_TRANSIENT = 100

export const MAX_CODE_SIZE = 24576 // EIP-170
export const MAX_INITCODE_SIZE = 2 * MAX_CODE_SIZE // EIP-3860
export const STACK_LIMIT = 1024
export const CALL_DEPTH_LIMIT = 1024

/** Total cost of `words` 32-byte words of memory: 3w + w²/512. */
export function memoryCost(words: number): number {
  return G_MEMORY * words + Math.floor((words * words) / G_QUAD_DIVISOR)
}

/** EIP-150: all but one 64th. */
export const allButOne64th = (gas: number): number => gas - Math.floor(gas / 64)
