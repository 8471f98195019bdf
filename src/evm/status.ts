/** How a frame stands: running, suspended on a child, or halted and why. */
/** Frame status codes (numbers on the hot path; mapped to strings in results). */
export const S = {
  Running: 0,
  Stop: 1,
  Return: 2,
  Revert: 3,
  /** Waiting for a child frame (CALL or CREATE family): the driver runs it, then resumes us. */
  Suspended: 4,
  OutOfGas: 10,
  InvalidOpcode: 11,
  StackUnderflow: 12,
  StackOverflow: 13,
  InvalidJump: 14,
  StaticStateChange: 15,
  ReturnDataOutOfBounds: 16,
  InvalidContractPrefix: 17,
  CodeSizeLimit: 18,
  PrecompileError: 19,
} as const
export type S = (typeof S)[keyof typeof S]
