/** The statesync testbed: feed (./run.ts), verify (./verify.ts), measure (./meter.ts), report (./report.ts). */
export { runTestbed, type ChainSource, type StoreFailure, type StoreResult, type TestbedOptions, type TestbedProgress, type TestbedResult, type TestbedSink, type TestbedStore } from './run.ts'
export { compareAll, checkProbe, lastWrite, type FullComparison, type Mismatch, type Probe } from './verify.ts'
export { percentiles, StoreMeter, type Percentiles, type WindowRow } from './meter.ts'
export { KeySampler } from './sampler.ts'
export { reportJson, reportMarkdown, type Report, type ReportContext } from './report.ts'
export { writeReport } from './report-files.ts'
