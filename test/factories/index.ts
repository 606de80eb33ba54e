import { DataSource } from 'typeorm';
import { DATASET_NAMES, DATASETS, Dataset, FieldKind } from '../../src/domain/datasets';
import { rebuildRegionClosure } from '../../src/modules/regions/region-closure';
import { refreshIssueStates } from '../../src/modules/issues/issue-state.store';

/** Records in the import (JSON) format of domain.md: instants are ISO strings with offsets. */
export type Rec = Record<string, unknown> & { id: string };
export type Fixtures = Record<Dataset, Rec[]>;

let seq = 0;
const next = (p: string) => `${p}${++seq}`;

export const buildRegion = (o: Partial<Rec> = {}): Rec => ({ id: next('r'), parentId: null, level: 'COUNTY', name: '测试县', ...o });
export const buildDepartment = (o: Partial<Rec> = {}): Rec => ({ id: next('d'), name: '民政局', ...o });
export const buildCadre = (o: Partial<Rec> = {}): Rec => ({ id: next('c'), name: '王干部', regionId: 'r-missing', rank: 'STAFF', ...o });
export const buildHousehold = (o: Partial<Rec> = {}): Rec => ({ id: next('h'), regionId: 'r-missing', headName: '张三', phone: '13812345678', tags: [], ...o });
export const buildPairing = (o: Partial<Rec> = {}): Rec => ({ id: next('p'), cadreId: 'c-missing', householdId: 'h-missing', startedOn: '2025-01-01', endedOn: null, ...o });
export const buildVisit = (o: Partial<Rec> = {}): Rec => ({ id: next('v'), cadreId: 'c-missing', regionId: 'r-missing', visitedAt: '2025-03-15T09:30:00+08:00', kind: 'HOME_VISIT', ...o });
export const buildIssue = (o: Partial<Rec> = {}): Rec => ({ id: next('i'), regionId: 'r-missing', channel: 'HOTLINE', category: 'OTHER', receivedAt: '2025-03-15T09:30:00+08:00', ...o });
export const buildIssueEvent = (o: Partial<Rec> = {}): Rec => ({ id: next('e'), issueId: 'i-missing', at: '2025-03-15T10:00:00+08:00', type: 'ASSIGNED', ...o });
export const buildSurveyResponse = (o: Partial<Rec> = {}): Rec => ({ id: next('s'), regionId: 'r-missing', respondedAt: '2025-03-20T10:00:00+08:00', channel: 'PHONE_CALLBACK', score: 5, ...o });

function toCell(kind: FieldKind, field: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (kind === 'instant') {
    const ms = Date.parse(String(v));
    if (Number.isNaN(ms)) throw new Error(`fixture ${field}: bad instant ${String(v)}`);
    return ms;
  }
  if (kind === 'enumList') return (v as string[]).length ? [...(v as string[])].sort().join(',') : null;
  if (kind === 'bool') return v ? 1 : 0;
  return v;
}

/**
 * Writes fixtures straight into the tables (parents before children), then rebuilds the
 * region closure and the issues' derived state, as import does. For tests of what reads data.
 */
export async function insertFixtures(ds: DataSource, f: Partial<Fixtures>, now = Date.UTC(2026, 0, 1)): Promise<void> {
  await ds.transaction(async (m) => {
    for (const name of DATASET_NAMES) {
      const def = DATASETS[name];
      let rows = f[name] ?? [];
      if (name === 'regions') rows = parentsFirst(rows);
      for (const r of rows) {
        const fields = def.fields.filter((d) => d.name in r);
        const names = [...fields.map((d) => d.column), 'created_at', 'updated_at'];
        const values = [...fields.map((d) => toCell(d.kind, d.name, r[d.name])), now, now];
        await m.query(`INSERT INTO ${def.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, values);
      }
    }
    if (f.regions?.length) await rebuildRegionClosure(m);
    const touched = new Set<string>([
      ...(f.issues ?? []).map((i) => i.id),
      ...(f.issue_events ?? []).map((e) => String(e.issueId)),
      ...(f.survey_responses ?? []).filter((s) => s.issueId).map((s) => String(s.issueId)),
    ]);
    await refreshIssueStates(m, touched, now);
  });
}

function parentsFirst(rows: Rec[]): Rec[] {
  const ids = new Set(rows.map((r) => r.id));
  const out: Rec[] = [];
  const placed = new Set<string>();
  let pending = rows;
  while (pending.length) {
    const ready = pending.filter((r) => !r.parentId || !ids.has(String(r.parentId)) || placed.has(String(r.parentId)));
    if (!ready.length) throw new Error('fixture regions form a cycle');
    for (const r of ready) {
      out.push(r);
      placed.add(r.id);
    }
    pending = pending.filter((r) => !placed.has(r.id));
  }
  return out;
}
