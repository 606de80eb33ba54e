export { ROLLUPS } from './definitions';
export type { RollupDef, RollupParams } from './rollup';
export { Rollups } from './rollups';
export type { BatchFacts, RollupBatch } from './rollups';
