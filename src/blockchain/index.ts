/**
 * Layer 6: the chain. Block import onto a key-value store (validate, execute, commit one batch
 * per block), the canonical head and reorganisations, safe/finalized markers, and the state at
 * recent blocks. Consumers: the CLI (blocktest, import, export, init), dev block production,
 * the Engine API and RPC.
 */
export { Blockchain, type BlockchainOptions } from './blockchain.ts'
export type { ChainReader, HeadBlock, HeadEvent, StateView } from './chain-reader.ts'
export type { ForkChoice } from './fork-choice.ts'
export type { BlockImporter, ExecutedBlock, ImportedBlock, ImportOptions, ImportResult } from './block-importer.ts'
export type { Chain } from './chain-service.ts'
export { ChainStore, type TxLocation } from './chain-store.ts'
export { ChainError, type ChainErrorKind } from './errors.ts'
export { writeGenesis, allocChangeSet } from './genesis.ts'
export { type FlatStateView } from './state-view.ts'
export { BlockFileError, ImportError, type BlockFileErrorKind, type ImportErrorKind } from './errors.ts'
export { readBlockFile, createBlockFileWriter, blockRlpFromParts, numberOfBlockBytes, isGzipPath, type RawBlock, type BlockFileWriter, type ReadBlockFileOptions } from './block-file.ts'
export { importBlockStream, emptyImportStats, type ImportStats, type ImportStreamOptions, type ImportStreamResult } from './block-import.ts'
export { exportBlocks, canonicalBlockRlp, type ExportStats, type ExportOptions } from './block-export.ts'
export { applyBlockEdits, canonicalBlockEdits, encodeBlockEdits, decodeBlockEdits, editsFileEntry, parseEditsFile, EDITS_FORMAT, type AccountEdit, type BlockEdits, type EditsFile } from './block-edits.ts'
