import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions, Logger } from 'typeorm';
import type { Config } from './config';
import { storeKindOf } from './database/dialect';
import { MIGRATIONS } from './database/migrations';
import { serializeTransactions } from './database/serial-transactions';
import { guardAppendOnly } from './database/append-only';
import { ApiToken, Session, User } from './auth/access.entity';
import { AuditEntry } from './audit/audit-entry.entity';
import { Cadre } from './modules/cadres/cadre.entity';
import { Department } from './modules/departments/department.entity';
import { Household } from './modules/households/household.entity';
import { Issue } from './modules/issues/issue.entity';
import { IssueEvent } from './modules/issues/issue-event.entity';
import { Pairing } from './modules/pairings/pairing.entity';
import { Region, RegionClosure } from './modules/regions/region.entity';
import { SurveyResponse } from './modules/surveys/survey-response.entity';
import { Visit } from './modules/visits/visit.entity';

/** Every entity TypeORM maps; a feature that adds a table adds its entity here. */
export const ENTITIES = [
  Region,
  RegionClosure,
  Department,
  Cadre,
  Household,
  Pairing,
  Visit,
  Issue,
  IssueEvent,
  SurveyResponse,
  User,
  ApiToken,
  Session,
  AuditEntry,
];

export interface DataSourceExtras {
  /** Receives every SQL statement the data source runs (tests count statements with it). */
  onQuery?: (sql: string, parameters?: unknown[]) => void;
}

/** Builds the one DataSource definition the app, the CLI and the TypeORM CLI share. */
export function createDataSource(config: Pick<Config, 'databaseUrl' | 'replicaUrls' | 'limits'>, extras: DataSourceExtras = {}): DataSource {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: extras.onQuery ? ['query' as const] : false,
    logger: extras.onQuery ? new QueryTap(extras.onQuery) : undefined,
  };
  let options: DataSourceOptions;
  if (storeKindOf(config.databaseUrl) === 'sqlite') {
    const file = config.databaseUrl.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    options = {
      ...common,
      type: 'better-sqlite3',
      database: file,
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
      },
    };
  } else {
    const mysql = {
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // Epoch-ms BIGINTs fit a double exactly; keep them numbers rather than strings.
      supportBigNumbers: true,
      bigNumberStrings: false,
      extra: { decimalNumbers: true, connectionLimit: 10 },
    };
    const [master, ...rest] = [config.databaseUrl, ...config.replicaUrls].map((url) => ({ url }));
    options =
      rest.length > 0
        ? // Entity reads stay on the primary (read-your-writes); analytics asks for a replica
          // explicitly (the cluster's SLAVE* nodes; see replica-reads.ts).
          { ...common, ...mysql, type: 'mysql', replication: { master, slaves: rest, defaultMode: 'master' } }
        : { ...common, ...mysql, type: 'mysql', url: master.url };
  }
  const ds = new DataSource(options);
  // The audit trail's rows are only ever added (database/append-only.ts).
  guardAppendOnly(ds);
  // One SQLite connection: concurrent transactions must queue (see serial-transactions.ts).
  if (options.type === 'better-sqlite3') serializeTransactions(ds);
  return ds;
}

class QueryTap implements Logger {
  constructor(private readonly tap: (sql: string, parameters?: unknown[]) => void) {}
  logQuery(query: string, parameters?: unknown[]) {
    this.tap(query, parameters);
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}
