import type { NonEmptyArray } from 'type-graphql';
import { MetaResolver } from '../modules/meta/meta.resolver';

/** Every resolver class in the schema; a feature adds its resolver here. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [MetaResolver];
