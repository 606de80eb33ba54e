import { readConfig } from '../../src/config';
import { DATASET_NAMES, DATASETS, Dataset } from '../../src/domain/datasets';
import { REGION_LEVEL_DEPTH, RegionLevel } from '../../src/domain/enums';
import { DEMO_FROM, DEMO_TO, demoEndForToday, demoRange, DemoCounty, DemoRecord, generateDemoCounty, inBatches } from '../../seeds/demo-county';

type All = Record<Dataset, DemoRecord[]>;

const collect = (county: DemoCounty): All =>
  Object.fromEntries(DATASET_NAMES.map((d) => [d, [...county.datasets[d]()]])) as All;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const FIRST = Date.parse(`${DEMO_FROM}T00:00:00+08:00`);
const LAST = Date.parse(`${DEMO_TO}T23:59:59+08:00`);
const ms = (v: unknown) => Date.parse(String(v));

/** Every rule of domain.md that a record can break on its own or against the records before it. */
function shapeProblems(all: All, first = FIRST, last = LAST): string[] {
  const problems: string[] = [];
  const ids = {} as Record<Dataset, Map<string, DemoRecord>>;
  for (const d of DATASET_NAMES) {
    ids[d] = new Map();
    for (const r of all[d]) {
      if (ids[d].has(r.id)) problems.push(`${d} ${r.id}: duplicate id`);
      ids[d].set(r.id, r);
    }
  }
  const seenRegions = new Set<string>();
  for (const d of DATASET_NAMES) {
    const defs = DATASETS[d].fields;
    const names = new Set(defs.map((f) => f.name));
    for (const r of all[d]) {
      const bad = (m: string) => problems.push(`${d} ${r.id}: ${m}`);
      for (const k of Object.keys(r)) if (!names.has(k)) bad(`unknown field ${k}`);
      for (const f of defs) {
        const v = r[f.name];
        if (v === undefined || v === null) {
          if (f.required) bad(`${f.name} is required`);
          continue;
        }
        switch (f.kind) {
          case 'id':
          case 'string':
          case 'ref':
            if (typeof v !== 'string' || v.length === 0 || (f.maxLength && v.length > f.maxLength)) bad(`${f.name} bad string ${String(v)}`);
            if (f.kind === 'ref' && !ids[f.ref!].has(String(v))) bad(`${f.name} → unknown ${f.ref} ${String(v)}`);
            break;
          case 'text':
            if (typeof v !== 'string') bad(`${f.name} not text`);
            break;
          case 'enum':
            if (!f.values!.includes(String(v))) bad(`${f.name} ${String(v)} not one of ${f.values!.join(',')}`);
            break;
          case 'enumList': {
            const xs = v as string[];
            if (!Array.isArray(xs) || xs.some((x) => !f.values!.includes(x)) || new Set(xs).size !== xs.length) bad(`${f.name} bad list`);
            if (xs.join() !== [...xs].sort().join()) bad(`${f.name} not sorted`);
            break;
          }
          case 'instant':
            if (!INSTANT.test(String(v))) bad(`${f.name} ${String(v)} is not ISO with +08:00`);
            else if (f.name !== 'dueAt' && (ms(v) < first || ms(v) > last)) bad(`${f.name} ${String(v)} outside the range`);
            break;
          case 'date':
            if (!/^\d{4}-\d{2}-\d{2}$/.test(String(v)) || new Date(`${String(v)}T00:00:00Z`).toISOString().slice(0, 10) !== v) bad(`${f.name} bad date`);
            break;
          case 'int':
            if (!Number.isInteger(v) || (f.min !== undefined && (v as number) < f.min) || (f.max !== undefined && (v as number) > f.max)) bad(`${f.name} ${String(v)} out of range`);
            break;
          case 'bool':
            if (typeof v !== 'boolean') bad(`${f.name} not boolean`);
            break;
        }
      }
      const region = (id: unknown) => ids.regions.get(String(id));
      if (d === 'regions') {
        if (r.parentId) {
          if (!seenRegions.has(String(r.parentId))) bad('listed before its parent');
          const parent = region(r.parentId)!;
          if (REGION_LEVEL_DEPTH[r.level as RegionLevel] !== REGION_LEVEL_DEPTH[parent.level as RegionLevel] + 1) bad('level not one below parent');
        } else if (r.level !== 'COUNTY' || r.parentId !== null) bad('the root must be the county with parentId null');
        if (r.code !== undefined && !/^\d{12}$/.test(String(r.code))) bad('code is not 12 digits');
        seenRegions.add(r.id);
      }
      if (d === 'cadres' && !['TOWNSHIP', 'VILLAGE'].includes(String(region(r.regionId)?.level))) bad('cadre not at a township or village');
      if (d === 'households' && region(r.regionId)?.level !== 'GROUP') bad('household not at a villager group');
      if (d === 'pairings' && r.endedOn && String(r.endedOn) < String(r.startedOn)) bad('endedOn before startedOn');
      if (d === 'visits') {
        if ((r.stayDays !== undefined) !== (r.kind === 'VILLAGE_STAY')) bad('stayDays only (and always) on VILLAGE_STAY');
        if (r.stayDays !== undefined && ((r.stayDays as number) < 1 || (r.stayDays as number) > 10)) bad('stayDays not 1–10');
        const hour = Number(String(r.visitedAt).slice(11, 13));
        if (hour < 8 || hour >= 18) bad('visit outside daytime');
        if (r.householdId && ids.households.get(String(r.householdId))!.regionId !== r.regionId) bad('home visit region is not the household’s');
      }
      if (d === 'issues') {
        const visit = r.visitId ? ids.visits.get(String(r.visitId)) : undefined;
        if (visit && ms(visit.visitedAt) > ms(r.receivedAt)) bad('issue received before its visit');
        if (r.householdId && ids.households.get(String(r.householdId))!.regionId !== r.regionId) bad('issue region is not the household’s');
        if (r.dueAt && ms(r.dueAt) < ms(r.receivedAt)) bad('due before received');
      }
      if (d === 'issue_events' && ms(r.at) < ms(ids.issues.get(String(r.issueId))!.receivedAt)) bad('event before the issue was received');
      if (d === 'survey_responses') {
        if (!r.issueId && (r.resolved !== undefined || r.contacted !== undefined)) bad('resolved/contacted without an issue');
        if (r.issueId && ms(r.respondedAt) < ms(ids.issues.get(String(r.issueId))!.receivedAt)) bad('callback before the issue');
      }
    }
  }
  return problems.slice(0, 20);
}

describe(generateDemoCounty.name, () => {
  let county: DemoCounty;
  let all: All;
  beforeAll(() => {
    county = generateDemoCounty();
    all = collect(county);
  });

  describe('determinism', () => {
    it('gives identical records and counts on a second run with the same seed and scale', () => {
      const again = generateDemoCounty({ scale: 1 });
      for (const d of DATASET_NAMES) {
        const firsts = [];
        let n = 0;
        for (const r of again.datasets[d]()) {
          if (n < 2000) firsts.push(JSON.stringify(r));
          n++;
        }
        expect({ d, n }).toEqual({ d, n: all[d].length });
        expect(firsts).toEqual(all[d].slice(0, 2000).map((r) => JSON.stringify(r)));
      }
    });

    it('gives the same stream every time a dataset is iterated, alone or after others', () => {
      const fresh = generateDemoCounty();
      const issues = [...fresh.datasets.issue_events()].slice(-500).map((r) => JSON.stringify(r));
      expect(issues).toEqual(all.issue_events.slice(-500).map((r) => JSON.stringify(r)));
    });

    it('does not depend on the environment’s festival windows', () => {
      const saved = process.env.FESTIVAL_WINDOWS;
      process.env.FESTIVAL_WINDOWS = '[{"name":"X","daysBefore":0,"daysAfter":0,"dates":["2025-05-01"]}]';
      try {
        const visits = [...generateDemoCounty({ scale: 0.05 }).datasets.visits()];
        delete process.env.FESTIVAL_WINDOWS;
        expect(visits).toEqual([...generateDemoCounty({ scale: 0.05 }).datasets.visits()]);
      } finally {
        if (saved === undefined) delete process.env.FESTIVAL_WINDOWS;
        else process.env.FESTIVAL_WINDOWS = saved;
      }
    });

    it('gives a different county for a different seed', () => {
      const other = [...generateDemoCounty({ seed: 7 }).datasets.households()].slice(0, 50);
      expect(other.map((h) => h.headName)).not.toEqual(all.households.slice(0, 50).map((h) => h.headName));
    });
  });

  describe('shape', () => {
    it('passes every record rule: unique ids, known references, valid enums, scores 1–5, instants with +08:00', () => {
      expect(shapeProblems(all)).toEqual([]);
    });

    it('has the size of a county at scale 1', () => {
      const level = (l: string) => all.regions.filter((r) => r.level === l).length;
      expect(level('COUNTY')).toBe(1);
      expect(level('TOWNSHIP')).toBe(12);
      expect(level('VILLAGE')).toBeGreaterThanOrEqual(130);
      expect(level('VILLAGE')).toBeLessThanOrEqual(170);
      expect(level('GROUP')).toBeGreaterThanOrEqual(500);
      expect(level('GROUP')).toBeLessThanOrEqual(700);
      expect(all.departments).toHaveLength(20);
      const within = (d: Dataset, lo: number, hi: number) => {
        expect({ d, n: all[d].length, ok: all[d].length >= lo && all[d].length <= hi }).toEqual({ d, n: all[d].length, ok: true });
      };
      within('cadres', 700, 900);
      within('households', 36_000, 44_000);
      within('pairings', 1_500, 3_000);
      within('visits', 85_000, 115_000);
      within('issues', 17_000, 25_000);
      within('survey_responses', 17_000, 26_000);
      const perIssue = all.issue_events.length / all.issues.length;
      expect(perIssue).toBeGreaterThan(3);
      expect(perIssue).toBeLessThan(5);
      const leaders = all.cadres.filter((c) => c.rank === 'LEADER').length;
      expect(all.cadres.length / leaders).toBeGreaterThan(6);
      expect(all.cadres.length / leaders).toBeLessThan(10);
    });

    it('uses every value of every enum somewhere', () => {
      for (const d of DATASET_NAMES) {
        for (const f of DATASETS[d].fields.filter((x) => x.kind === 'enum' || x.kind === 'enumList')) {
          const used = new Set(all[d].flatMap((r) => (r[f.name] === undefined ? [] : ([] as unknown[]).concat(r[f.name]))));
          expect({ field: `${d}.${f.name}`, missing: f.values!.filter((v) => !used.has(v)) }).toEqual({ field: `${d}.${f.name}`, missing: [] });
        }
      }
    });

    it('has issues still open at the end and issues reopened then resolved again', () => {
      const last = new Map<string, string>();
      for (const e of all.issue_events) last.set(String(e.issueId), String(e.type));
      const open = all.issues.filter((i) => !['RESOLVED', 'EXPLAINED', 'CLOSED'].includes(last.get(i.id) ?? 'OPEN'));
      expect(open.length).toBeGreaterThan(200);
      expect(all.issue_events.filter((e) => e.type === 'REOPENED').length).toBeGreaterThan(200);
    });

    it('estimates each dataset within 15 % (progress bars)', () => {
      for (const d of DATASET_NAMES) {
        expect({ d, ratio: Math.abs(county.estimate(d) / all[d].length - 1) < 0.15 }).toEqual({ d, ratio: true });
      }
    });
  });

  describe('patterns (seeds/README.md)', () => {
    const townOf = () => {
      const parent = new Map(all.regions.map((r) => [r.id, r]));
      const memo = new Map<string, string>();
      return (regionId: unknown): string => {
        const id = String(regionId);
        if (!memo.has(id)) {
          let r = parent.get(id);
          while (r && r.level !== 'TOWNSHIP') r = parent.get(String(r.parentId));
          memo.set(id, r!.id);
        }
        return memo.get(id)!;
      };
    };
    const townshipWith = (role: string) => county.townships.find((t) => t.role === role)!.id;

    it('1. one township visits almost only in festival windows (share > 0.8; others < 0.3)', () => {
      const festivalDays = new Set<string>();
      for (const w of readConfig({}).festivals) {
        for (const date of w.dates) {
          const t = Date.parse(`${date}T00:00:00Z`);
          for (let k = -w.daysBefore; k <= w.daysAfter; k++) festivalDays.add(new Date(t + k * 86_400_000).toISOString().slice(0, 10));
        }
      }
      const town = townOf();
      const cadreTown = new Map(all.cadres.map((c) => [c.id, town(c.regionId)]));
      const share = new Map<string, [number, number]>();
      for (const v of all.visits) {
        const t = cadreTown.get(String(v.cadreId))!;
        const s = share.get(t) ?? [0, 0];
        s[0]++;
        if (festivalDays.has(String(v.visitedAt).slice(0, 10))) s[1]++;
        share.set(t, s);
      }
      expect(all.visits.filter((v) => v.kind === 'HOLIDAY_GREETING' && !festivalDays.has(String(v.visitedAt).slice(0, 10)))).toEqual([]);
      const festival = townshipWith('FESTIVAL_ONLY');
      for (const [t, [n, inWindow]] of share) {
        if (t === festival) expect(inWindow / n).toBeGreaterThan(0.8);
        else expect(inWindow / n).toBeLessThan(0.3);
      }
    });

    it('2. one township passes appeals around (mean transfers > 1.5; others < 0.3)', () => {
      const town = townOf();
      const issueTown = new Map(all.issues.map((i) => [i.id, town(i.regionId)]));
      const issues = new Map<string, number>();
      const transfers = new Map<string, number>();
      for (const i of all.issues) issues.set(issueTown.get(i.id)!, (issues.get(issueTown.get(i.id)!) ?? 0) + 1);
      for (const e of all.issue_events.filter((x) => x.type === 'TRANSFERRED')) {
        const t = issueTown.get(String(e.issueId))!;
        transfers.set(t, (transfers.get(t) ?? 0) + 1);
      }
      const passer = townshipWith('PASS_AROUND');
      for (const [t, n] of issues) {
        if (t === passer) expect((transfers.get(t) ?? 0) / n).toBeGreaterThan(1.5);
        else expect((transfers.get(t) ?? 0) / n).toBeLessThan(0.3);
      }
    });

    it('3. one township’s closures are denied by residents (callbacks NO > 40 %, mean score lowest)', () => {
      const town = townOf();
      const stats = new Map<string, { callbacks: number; no: number; scores: number; n: number }>();
      for (const s of all.survey_responses) {
        const t = town(s.regionId);
        const x = stats.get(t) ?? { callbacks: 0, no: 0, scores: 0, n: 0 };
        x.n++;
        x.scores += Number(s.score);
        if (s.resolved) {
          x.callbacks++;
          if (s.resolved === 'NO') x.no++;
        }
        stats.set(t, x);
      }
      const liar = townshipWith('FALSE_CLOSURE');
      const mean = (t: string) => stats.get(t)!.scores / stats.get(t)!.n;
      for (const [t, x] of stats) {
        if (t === liar) expect(x.no / x.callbacks).toBeGreaterThan(0.4);
        else {
          expect(x.no / x.callbacks).toBeLessThan(0.25);
          expect(mean(t)).toBeGreaterThan(mean(liar) + 0.3);
        }
      }
    });

    it('4. several villages have fewer than 5 survey responses in every month', () => {
      const sparse = new Set(county.townships.flatMap((t) => t.sparseVillageIds));
      expect(sparse.size).toBeGreaterThanOrEqual(3);
      const parent = new Map(all.regions.map((r) => [r.id, String(r.parentId)]));
      const villageOf = (id: string) => (sparse.has(id) ? id : parent.get(id)!);
      const perMonth = new Map<string, number>();
      let total = 0;
      for (const s of all.survey_responses) {
        const v = villageOf(String(s.regionId));
        if (!sparse.has(v)) continue;
        total++;
        const k = `${v} ${String(s.respondedAt).slice(0, 7)}`;
        perMonth.set(k, (perMonth.get(k) ?? 0) + 1);
      }
      expect(total).toBeGreaterThan(0); // sparse, not silent
      expect(Math.max(...perMonth.values())).toBeLessThan(5);
    });

    it('5. some pairings never see a visit by their cadre (结对不联系), while most do', () => {
      const visited = new Set(all.visits.filter((v) => v.householdId).map((v) => `${String(v.cadreId)}|${String(v.householdId)}`));
      const silent = all.pairings.filter((p) => !visited.has(`${String(p.cadreId)}|${String(p.householdId)}`));
      expect(silent.length / all.pairings.length).toBeGreaterThan(0.04);
      expect(silent.length / all.pairings.length).toBeLessThan(0.15);
    });

    it('6. households of the pass-around township appeal again and again in the last weeks (重复诉求)', () => {
      // action.md REPEAT_APPEALS: ≥ 3 issues received within 90 × 24 h before asOf (here the demo's last second).
      const town = townOf();
      const since = LAST - 90 * 86_400_000;
      const recent = new Map<string, number>();
      for (const i of all.issues) if (i.householdId && ms(i.receivedAt) >= since) recent.set(String(i.householdId), (recent.get(String(i.householdId)) ?? 0) + 1);
      const repeaters = [...recent].filter(([, n]) => n >= 3).map(([id]) => town(all.households.find((x) => x.id === id)!.regionId));
      const passer = townshipWith('PASS_AROUND');
      expect(repeaters.filter((t) => t === passer).length).toBeGreaterThanOrEqual(4);
      expect(repeaters.filter((t) => t !== passer).length).toBeLessThanOrEqual(2);
      // The planted appeals come after every other issue of the township, with the next ids.
      const ids = all.issues.filter((i) => town(i.regionId) === passer).map((i) => Number(String(i.id).slice(5)));
      expect(ids).toEqual(ids.map((_, k) => k + 1));
    });

    it('pairs most leaders with ≥ 3 households (their quota) and ends some pairings', () => {
      const leaders = new Set(all.cadres.filter((c) => c.rank === 'LEADER').map((c) => c.id));
      const perLeader = new Map<string, number>();
      for (const p of all.pairings) if (leaders.has(String(p.cadreId))) perLeader.set(String(p.cadreId), (perLeader.get(String(p.cadreId)) ?? 0) + 1);
      const atLeast3 = [...leaders].filter((id) => (perLeader.get(id) ?? 0) >= 3).length;
      expect(atLeast3 / leaders.size).toBeGreaterThan(0.75);
      expect(all.pairings.some((p) => p.endedOn)).toBe(true);
    });
  });

  describe('scale', () => {
    it('shrinks for fractional scales and grows for larger ones, ids staying unique', () => {
      const small = collect(generateDemoCounty({ scale: 0.02 }));
      expect(small.households.length).toBeGreaterThan(300);
      expect(small.households.length).toBeLessThan(2000);
      expect(shapeProblems(small)).toEqual([]);
      const big = generateDemoCounty({ scale: 4 });
      expect(big.townships).toHaveLength(24);
      const regions = [...big.datasets.regions()];
      expect(new Set(regions.map((r) => r.id)).size).toBe(regions.length);
      const villages = regions.filter((r) => r.level === 'VILLAGE').length;
      expect(villages / all.regions.filter((r) => r.level === 'VILLAGE').length).toBeGreaterThan(3.5);
      expect(villages / all.regions.filter((r) => r.level === 'VILLAGE').length).toBeLessThan(4.5);
      expect(new Set(regions.filter((r) => r.level === 'TOWNSHIP').map((r) => r.name)).size).toBe(24);
    });

    it('rejects a scale that is not a positive number up to 1000', () => {
      for (const scale of [0, -1, Number.NaN, 1001]) expect(() => generateDemoCounty({ scale })).toThrow(RangeError);
    });

    it('streams: the iterator yields before the later townships are generated', () => {
      const it = generateDemoCounty({ scale: 100 }).datasets.visits()[Symbol.iterator]();
      const first = it.next();
      expect(first.done).toBe(false);
      expect(String(first.value!.id)).toMatch(/^V001-/);
    });
  });

  describe('end date', () => {
    it('covers the two years ending on it, every record inside, deterministic for that date', () => {
      const later = generateDemoCounty({ scale: 0.05, end: '2027-03-14' });
      expect([later.from, later.to]).toEqual(['2025-03-15', '2027-03-14']);
      const records = collect(later);
      expect(shapeProblems(records, Date.parse('2025-03-15T00:00:00+08:00'), Date.parse('2027-03-14T23:59:59+08:00'))).toEqual([]);
      expect(collect(generateDemoCounty({ scale: 0.05, end: '2027-03-14' }))).toEqual(records);
      // Activity reaches the last days, and some appeals of the last month are still open.
      expect(records.visits.some((v) => String(v.visitedAt).startsWith('2027-03-1'))).toBe(true);
      const closed = new Set(records.issue_events.filter((e) => ['RESOLVED', 'EXPLAINED', 'CLOSED'].includes(String(e.type))).map((e) => e.issueId));
      expect(records.issues.filter((i) => String(i.receivedAt) >= '2027-02-14' && !closed.has(i.id)).length).toBeGreaterThan(0);
    });

    it('is DEMO_TO (2026-10-31) by default, from 2024-11-01', () => {
      expect(demoRange()).toMatchObject({ from: DEMO_FROM, to: DEMO_TO, days: 730 });
      expect(demoRange('2028-02-29')).toMatchObject({ from: '2026-03-02', days: 730 });
      expect(demoRange('2027-01-01')).toMatchObject({ from: '2025-01-02', days: 730 });
    });

    it('refuses a date that is not a real YYYY-MM-DD', () => {
      for (const end of ['2027-02-30', '2027-13-01', '27-01-01', 'yesterday', '1999-12-31']) {
        expect(() => generateDemoCounty({ scale: 0.02, end })).toThrow(RangeError);
      }
    });

    it('on a first start is the day before, in Beijing time', () => {
      expect(demoEndForToday(Date.parse('2027-03-15T10:00:00+08:00'))).toBe('2027-03-14');
      expect(demoEndForToday(Date.parse('2027-03-15T00:30:00+08:00'))).toBe('2027-03-14'); // 16:30 UTC the day before
      expect(demoEndForToday(Date.parse('2027-03-01T09:00:00+08:00'))).toBe('2027-02-28');
    });
  });

  it('cuts streams into batches of the given size', () => {
    expect([...inBatches([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...inBatches([], 2)]).toEqual([]);
  });
});
