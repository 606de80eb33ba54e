import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { IsOptional, Length } from 'class-validator';
import { ArgsType, ClassType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { badInput } from '../../domain/errors';

/**
 * Relay connections with keyset cursors. A cursor is the opaque base64url of the row's sort
 * key and id, so a page is one indexed range scan (`WHERE key < :k OR (key = :k AND id < :id)`),
 * never OFFSET, and rows written between two pages can neither shift nor duplicate it.
 */

/** How a list is ordered: by id, or newest first by an instant property with ties by id (both descending, so one index scan serves). */
export type KeysetOrder = { by: 'id' } | { by: 'newest'; property: string };

export const BY_ID: KeysetOrder = { by: 'id' };
export const newestBy = (property: string): KeysetOrder => ({ by: 'newest', property });

export const DEFAULT_PAGE_SIZE = 50;

/** `first` and `after` as the client sent them, with the configured maximum page size. */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
  maxPageSize: number;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** One page of rows, with `count` run only if the client selects `totalCount`. */
export interface Page<T> {
  edges: Edge<T>[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  count: () => Promise<number>;
}

type CursorKey = { at: number | null; id: string };

const MAX_ID_LENGTH = 64;

/** The opaque cursor of a row under an order. */
export function encodeCursor(order: KeysetOrder, row: ObjectLiteral): string {
  return cursorOf(order.by === 'id' ? [row.id] : [(row[order.property] as Date).getTime(), row.id]);
}

/** An opaque cursor holding `payload` (JSON, base64url): every keyset list's cursors are made here. */
export function cursorOf(payload: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The refusal of a cursor this list did not hand out (BAD_USER_INPUT on `after`). */
export function badCursor(cursor: string) {
  return badInput(`"after" is not a cursor of this list: ${JSON.stringify(cursor.slice(0, 100))}`, { argument: 'after' });
}

/**
 * The payload of a cursor made by `cursorOf`, for the caller to check its shape; a string that
 * is not such a cursor (not base64url, not JSON, not an array, or not the canonical encoding of
 * what it holds: a cursor is something we handed out, not something to craft) → badCursor.
 */
export function cursorPayload(cursor: string): unknown[] {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw badCursor(cursor);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor(cursor);
  }
  if (!Array.isArray(payload) || cursorOf(payload) !== cursor) throw badCursor(cursor);
  return payload;
}

/** Reads a cursor made by `encodeCursor` for the same order; anything else is BAD_USER_INPUT. */
export function decodeCursor(order: KeysetOrder, cursor: string): CursorKey {
  const bad = () => badCursor(cursor);
  const payload = cursorPayload(cursor);
  const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_ID_LENGTH;
  if (order.by === 'id' && payload.length === 1 && isId(payload[0])) return { at: null, id: payload[0] };
  if (order.by === 'newest' && payload.length === 2 && Number.isSafeInteger(payload[0]) && isId(payload[1])) return { at: payload[0] as number, id: payload[1] };
  throw bad();
}

/** The page size to fetch: `first`, default 50, from 1 to the configured maximum. */
export function pageSize(first: number | null | undefined, maxPageSize: number): number {
  if (first === null || first === undefined) return Math.min(DEFAULT_PAGE_SIZE, maxPageSize);
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
    throw badInput(`"first" must be from 1 to ${maxPageSize}, got ${first}`, { argument: 'first', max: maxPageSize });
  }
  return first;
}

/**
 * Runs one page of `qb` (filters already applied) in keyset order: one statement, plus one
 * COUNT statement later only if `count()` is called.
 */
export async function paginate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, order: KeysetOrder, args: PageRequest): Promise<Page<T>> {
  const first = pageSize(args.first, args.maxPageSize);
  const after = args.after === null || args.after === undefined ? null : decodeCursor(order, args.after);
  const countQuery = qb.clone();
  const a = qb.alias;
  if (order.by === 'id') {
    if (after) qb.andWhere(`${a}.id > :afterId`, { afterId: after.id });
    qb.orderBy(`${a}.id`, 'ASC');
  } else {
    const key = `${a}.${order.property}`;
    if (after) {
      // The redundant `key <= :afterAt` gives the optimizer a plain range on the time index.
      qb.andWhere(`${key} <= :afterAt`, { afterAt: after.at }).andWhere(
        new Brackets((w) => {
          w.where(`${key} < :afterAt`).orWhere(`${a}.id < :afterId`, { afterId: after.id });
        }),
      );
    }
    qb.orderBy(key, 'DESC').addOrderBy(`${a}.id`, 'DESC');
  }
  const rows = await qb.limit(first + 1).getMany();
  const hasNextPage = rows.length > first;
  return {
    edges: rows.slice(0, first).map((node) => ({ cursor: encodeCursor(order, node), node })),
    hasNextPage,
    // Forward paging only: rows before `after` exist (the one it points at, at least).
    hasPreviousPage: after !== null,
    count: () => countQuery.getCount(),
  };
}

/** Keeps rows whose instant `key` (property path) lies in [from, to); `to` before `from` is BAD_USER_INPUT. */
export function whereInstantRange<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, key: string, range: InstantRange): SelectQueryBuilder<T> {
  const { from, to } = range;
  if (from && to && to.getTime() < from.getTime()) {
    throw badInput(`"to" (${to.toISOString()}) is before "from" (${from.toISOString()})`, { argument: 'to' });
  }
  if (from) qb.andWhere(`${key} >= :rangeFrom`, { rangeFrom: from.getTime() });
  if (to) qb.andWhere(`${key} < :rangeTo`, { rangeTo: to.getTime() });
  return qb;
}

/** The paging arguments every connection field takes. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: 'Page size, 1 to the configured maximum (500).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  @IsOptional()
  @Length(1, 400)
  after?: string | null;
}

/** The page a connection field asks for: its paging arguments under the configured maximum. */
export function pageRequest(args: ConnectionArgs, limits: { maxPageSize: number }): PageRequest {
  return { first: args.first, after: args.after, maxPageSize: limits.maxPageSize };
}

/** A time window on a list filter: `from` inclusive, `to` exclusive (fields inherited by each filter input). */
@InputType('InstantRange')
export abstract class InstantRange {
  @Field(() => Date, { nullable: true, description: 'Inclusive lower bound (an instant with offset).' })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive upper bound.' })
  @IsOptional()
  to?: Date | null;
}

@ObjectType({ description: 'Where a page sits in its list (Relay).' })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field({ description: 'True when the page was asked for `after` a cursor.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor: string | null;
}

/** What every `<Type>Connection` class looks like to TypeScript. */
export interface ConnectionShape<T> {
  readonly page: Page<T>;
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/**
 * Makes the GraphQL types `<name>Connection` and `<name>Edge` for a node type. `totalCount`
 * is a field resolver, so its COUNT runs only when the client selects it.
 */
export function Connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ description: 'Opaque; pass as `after` to continue after this node.' })
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} records with keyset cursors (Relay).` })
  class ConnectionType implements ConnectionShape<T> {
    constructor(readonly page: Page<T>) {}

    @Field(() => [EdgeType])
    get edges(): Edge<T>[] {
      return this.page.edges;
    }

    @Field(() => PageInfo)
    get pageInfo(): PageInfo {
      const { edges } = this.page;
      return {
        hasNextPage: this.page.hasNextPage,
        hasPreviousPage: this.page.hasPreviousPage,
        startCursor: edges.length ? edges[0].cursor : null,
        endCursor: edges.length ? edges[edges.length - 1].cursor : null,
      };
    }

    @Field(() => Int, { description: 'All records matching the filter (ignores paging; computed only when selected).' })
    totalCount(): Promise<number> {
      return this.page.count();
    }
  }
  return ConnectionType;
}
