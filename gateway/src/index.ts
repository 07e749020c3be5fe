// The gateway's public API for code that runs it in-process (tests, benchmark, state layer).
export { startGateway, defaultStagesFactory, type RunningGateway, type StartGatewayOptions } from './start-gateway';
export { gatewayConfigSchema, type GatewayConfig, type GatewayConfigInput } from './config/schema';
export { loadGatewayConfig, parseGatewayConfig, parseGatewayConfigYaml } from './config/load-config';
export { GatewayConfigError, configProblems, type ConfigProblem } from './config/config-error';
export { embeddedDefaults } from './config/embedded-defaults';
export { metricCatalog, METRIC_ERROR_TYPES } from './metrics/catalog';
export { errorCatalog, type ErrorCode } from './errors/catalog';
export { GatewayError } from './errors/gateway-error';
export { providerAdapters } from './providers/registry';
export * from './pipeline/stages';
export { createStateStages } from './state/state-stages';
