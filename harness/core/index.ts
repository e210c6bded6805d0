/** The shared vocabulary every folder speaks: case keys, precisions, metrics, verdicts, result shapes. Imports nothing from harness/. */
export * from './case-key.js';
export * from './env.js';
export * from './gate-report.js';
export * from './measurement.js';
export * from './metric-value.js';
export * from './metrics.js';
export * from './precision.js';
export * from './results.js';
export * from './telemetry.js';
