/**
 * Layer 9: the node. Components declare what they provide and require; the builder wires,
 * starts and stops them. Profiles (src/profiles) are lists of components. Metrics
 * (./metrics) are the node's Prometheus registry and endpoint.
 */
export { defineComponent, type Component, type ConfigureContext, type Instance, type OptionalServicesOf, type Services, type ServiceName, type ServicesOf } from './component.ts'
export { startNode, startOrder, NodeBuildError, type RunningNode, type StartOptions, type CheckComplete } from './builder.ts'
export { defaultDataDir, resolveChainSpec, readGenesisFile, recordChain, recordBuiltinChain, openChainDir, DataDirError, type OpenedChain } from './datadir.ts'
export { parseConfig, optionsHelp, envName, ConfigError, type OptionSpec, type OptionType, type ConfigSections, type ParsedConfig, type ConfigSources } from './config.ts'
export { createLogger, silentLogger, type Logger, type LogLevel, type LogFields, type LoggerOptions } from './log.ts'
export { batchedWriter, type BatchedWriter } from './log-writer.ts'
export { createStatusLine, progressBar, statusLineWanted, type StatusLine, type StatusLineOptions } from './status-line.ts'
export { VERSION } from './version.ts'
export { createNodeMetrics, startMetricsServer, clientLabel, directorySize, DEFAULT_METRICS_ADDR, DEFAULT_METRICS_PORT, METRICS_PATHS, type NodeMetrics, type MetricsServer, type CallSource, type HeadSource, type PeerInfo, type PeerSource, type PoolCounts } from './metrics/index.ts'
