import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Dataset } from '../domain/datasets';
import { ImportRejected, ImportService } from '../import/import.service';
import { RecordOutcome } from './recording.types';

/** A record the import refused; `errors` are its field errors (line numbers dropped: there is one record). */
export class RecordRejected extends Error {
  constructor(
    readonly dataset: Dataset,
    readonly errors: Array<{ field: string | null; message: string }>,
  ) {
    const first = errors[0];
    super(`${dataset}: ${first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : 'refused'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}; nothing was written`);
    this.name = 'RecordRejected';
  }
}

/**
 * Recording mutations as import batches of one record: the same validation, references,
 * upsert by id and derived-state refresh, all-or-nothing. The id is the idempotency key:
 * a retry with the same content is UNCHANGED and writes nothing.
 */
export class RecordingService {
  constructor(
    private readonly ds: DataSource,
    private readonly importer: ImportService,
  ) {}

  /** Validates and upserts one record of `dataset`; throws RecordRejected. */
  async record(dataset: Dataset, input: object): Promise<{ id: string; outcome: RecordOutcome }> {
    const record = plain(input);
    try {
      const r = await this.importer.importRecords(dataset, [record]);
      const outcome = r.inserted ? RecordOutcome.CREATED : r.updated ? RecordOutcome.UPDATED : RecordOutcome.UNCHANGED;
      return { id: String(record.id), outcome };
    } catch (err) {
      if (err instanceof ImportRejected) throw new RecordRejected(dataset, err.errors.map(({ field, message }) => ({ field, message })));
      throw err;
    }
  }

  /** Reads a record from the primary, so a reply shows the write even with read replicas configured. */
  async readBack<T extends ObjectLiteral>(entity: EntityTarget<T>, id: string): Promise<T> {
    const qr = this.ds.createQueryRunner('master');
    try {
      const found = await qr.manager.findOneBy(entity, { id } as never);
      if (!found) throw new Error(`recorded ${String(id)} but cannot read it back`);
      return found;
    } finally {
      await qr.release();
    }
  }
}

/** The input as an import line: own enumerable fields, undefined dropped (absent and null are the same to import). */
function plain(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
