/**
 * The compiling tier: hot code is translated into JavaScript functions, one per basic block
 * (blocks.ts splits code at jump destinations, halts and calls; emit.ts writes a block's
 * function over a compile-time stack model, stack-model.ts; compile.ts builds the program with a
 * switch over blocks; tier.ts decides when and caches). A compiled frame behaves exactly as the
 * interpreter's: where a block cannot run whole (stack bounds or static gas do not fit), the
 * interpreter takes over at that op.
 */
export { runFrame, setJitMode, jitMode, JIT_MODES, type JitMode, cachedPrograms } from './tier.ts'
export { compile, type Program } from './compile.ts'
