import { readConfig } from '../src/config';
import { DATASETS, Dataset } from '../src/domain/datasets';
import type {
  CadreRank,
  HouseholdTag,
  IssueCategory,
  IssueChannel,
  IssueEventType,
  ResidentAnswer,
  SurveyChannel,
  VisitKind,
} from '../src/domain/enums';
import { DAY, formatInstant, localDate, localMidnight, localWeekday, MINUTE, Rng } from './demo-random';
import * as V from './demo-vocabulary';

/**
 * The demo county (青山县): a deterministic generator of every import dataset, streamed
 * township by township so that ×100 (~10M visits) never sits in memory. Each stage of each
 * township draws from its own random stream, so a dataset can be generated alone and still
 * agree with the others. See seeds/README.md for the patterns planted in it.
 */

export const DEMO_SEED = 20261031;
/**
 * The default last day of the demo (local date, +08:00): what tests, the benchmark and
 * `generateDemoCounty()` without `end` use, so their numbers never move. A first start seeds the
 * demo up to the day before instead (demoEndForToday) and records that date with the data.
 */
export const DEMO_TO = '2026-10-31';
/** The first day of the default range: two years of activity end on DEMO_TO. */
export const DEMO_FROM = '2024-11-01';
export const MAX_SCALE = 1000;
/** The root region's id (its division code): how start-up recognises the demo county. */
export const DEMO_COUNTY_ID: string = V.COUNTY.code;

/** The demo's two years of activity: local dates (+08:00, inclusive) and their epoch-ms bounds. */
export interface DemoRange {
  from: string;
  to: string;
  /** Local midnight of `from`. */
  start: number;
  /** The last second of `to`: nothing happens after it, so recent issues are still open. */
  end: number;
  days: number;
}

/** The two years ending on `to` (YYYY-MM-DD, a real calendar date); a RangeError otherwise. */
export function demoRange(to: string = DEMO_TO): DemoRange {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(to);
  const valid = m !== null && localDate(localMidnight(to)) === to && Number(m[1]) >= 2000 && Number(m[1]) <= 2200;
  if (!valid) throw new RangeError(`the demo's end date must be a date YYYY-MM-DD from 2000 to 2200, got "${to}"`);
  const [y, mo, d] = [Number(m![1]), Number(m![2]), Number(m![3])];
  // Two calendar years back, then the day after: 2026-10-31 → 2024-11-01 (29 February → 1 March).
  const from = localDate(localMidnight(`${y - 2}-${pad(mo, 2)}-01`) + (d - 1) * DAY + DAY);
  const start = localMidnight(from);
  const next = localMidnight(to) + DAY;
  return { from, to, start, end: next - 1000, days: Math.round((next - start) / DAY) };
}

/** The day before `now` in the demo's time zone (+08:00): a first start's end date. */
export function demoEndForToday(now: number): string {
  return localDate(localMidnight(localDate(now)) - DAY);
}

/** A record in the import format of domain.md (JSON field names, ISO instants with +08:00). */
export type DemoRecord = { id: string } & Record<string, unknown>;

/** What a township is planted to show (seeds/README.md). */
export type TownshipRole = 'NORMAL' | 'FESTIVAL_ONLY' | 'PASS_AROUND' | 'FALSE_CLOSURE';
/** Roles by slot (township index mod 12): every block of twelve townships repeats the patterns. */
const ROLE_BY_SLOT: Record<number, TownshipRole> = { 3: 'FESTIVAL_ONLY', 6: 'PASS_AROUND', 9: 'FALSE_CLOSURE' };
/** Slots whose last village is small and rarely surveyed, so its satisfaction is suppressed. */
const SPARSE_SLOTS = new Set([1, 4, 7, 10]);

export interface DemoCountyOptions {
  /** Multiplies everything below the county (townships × √N, villages per township × √N); may be fractional. */
  scale?: number;
  seed?: number;
  /** The last local day of activity (YYYY-MM-DD), default DEMO_TO; the range is the two years ending on it. */
  end?: string;
}

export interface DemoTownship {
  id: string;
  name: string;
  role: TownshipRole;
  /** Villages planted with very few survey responses. */
  sparseVillageIds: string[];
}

export interface DemoCounty {
  readonly scale: number;
  readonly seed: number;
  readonly from: string;
  readonly to: string;
  readonly townships: readonly DemoTownship[];
  /** Each dataset as a fresh stream of records, parents before children, ids unique. */
  readonly datasets: Readonly<Record<Dataset, () => Iterable<DemoRecord>>>;
  /** About how many records a dataset has (for progress bars; ±10 %). */
  estimate(dataset: Dataset): number;
}

/** Records per dataset at scale 1, measured; estimates scale them linearly. */
const SCALE1_COUNTS: Record<Dataset, number> = {
  regions: 785,
  departments: 20,
  cadres: 823,
  households: 40_900,
  pairings: 1_800,
  visits: 97_000,
  issues: 22_300,
  issue_events: 79_900,
  survey_responses: 23_400,
};

/** The demo county for a seed and scale; the same options always give byte-identical records. */
export function generateDemoCounty(options: DemoCountyOptions = {}): DemoCounty {
  const scale = options.scale ?? 1;
  const seed = options.seed ?? DEMO_SEED;
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
    throw new RangeError(`scale must be a number above 0 and at most ${MAX_SCALE}, got ${scale}`);
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const range = demoRange(options.end ?? DEMO_TO);
  const plan = planCounty(scale, seed, range);
  const perTownship = (dataset: Dataset) =>
    function* () {
      for (const t of plan.townships) yield* new TownshipGenerator(plan, t).records(dataset);
    };
  const datasets: Record<Dataset, () => Iterable<DemoRecord>> = {
    regions: () => regionRecords(plan),
    departments: () => plan.departments.map((d) => toRecord('departments', d)),
    cadres: perTownship('cadres'),
    households: perTownship('households'),
    pairings: perTownship('pairings'),
    visits: perTownship('visits'),
    issues: perTownship('issues'),
    issue_events: perTownship('issue_events'),
    survey_responses: perTownship('survey_responses'),
  };
  return {
    scale,
    seed,
    from: range.from,
    to: range.to,
    townships: plan.townships.map((t) => ({
      id: t.id,
      name: t.name,
      role: t.role,
      sparseVillageIds: t.villages.filter((v) => v.sparse).map((v) => v.id),
    })),
    datasets,
    estimate: (d) => (d === 'departments' ? plan.departments.length : Math.max(1, Math.round(SCALE1_COUNTS[d] * scale))),
  };
}

// ---------------------------------------------------------------------------------------------
// Plans: the rows, with JSON field names, plus what later stages need to know about them.

interface CountyPlan {
  seed: number;
  range: DemoRange;
  festivalDays: Set<number>;
  /** Festival windows inside the range: the festival day and the window's days. */
  festivals: Array<{ name: string; day: number; days: number[] }>;
  departments: Array<{ id: string; name: string }>;
  departmentIds: Map<string, string>;
  townships: TownshipPlan[];
}

interface TownshipPlan {
  index: number;
  id: string;
  code: string;
  name: string;
  role: TownshipRole;
  /** How much bigger than a scale-1 township this one is (villages and township staff). */
  factor: number;
  villages: VillagePlan[];
}

interface VillagePlan {
  index: number;
  id: string;
  code: string;
  name: string;
  sparse: boolean;
  groups: Array<{ id: string; name: string; households: number }>;
}

interface CadrePlan {
  id: string;
  name: string;
  regionId: string;
  rank: CadreRank;
  unit: string;
  phone?: string;
  /** The village the cadre works in most (own village, or the leader's 包村 village). */
  village: number;
  atTownship: boolean;
  /** 0.2 … 1.5: how much of the expected work the cadre does. */
  diligence: number;
}

interface HouseholdPlan {
  id: string;
  regionId: string;
  headName: string;
  phone?: string;
  members: number;
  tags?: HouseholdTag[];
  village: number;
  needy: boolean;
}

interface PairingPlan {
  id: string;
  cadreId: string;
  householdId: string;
  startedOn: string;
  endedOn?: string;
  cadre: number;
  household: HouseholdPlan;
  /** Active days inside the range, [first, last]; empty when first > last. */
  first: number;
  last: number;
  silent: boolean;
}

interface VisitPlan {
  id: string;
  cadreId: string;
  regionId: string;
  householdId?: string;
  visitedAt: number;
  kind: VisitKind;
  stayDays?: number;
  note?: string;
  village: number;
  household?: HouseholdPlan;
}

interface IssuePlan {
  id: string;
  regionId: string;
  householdId?: string;
  visitId?: string;
  channel: IssueChannel;
  category: IssueCategory;
  summary: string;
  receivedAt: number;
  dueAt?: number;
  village: number;
  /** Planted after the others (repeatAppeals): its callbacks are numbered after the others too. */
  planted?: boolean;
}

interface EventPlan {
  id: string;
  issueId: string;
  at: number;
  type: IssueEventType;
  departmentId?: string;
  note?: string;
}

interface SurveyPlan {
  id: string;
  regionId: string;
  issueId?: string;
  cadreId?: string;
  householdId?: string;
  respondedAt: number;
  channel: SurveyChannel;
  score: number;
  resolved?: ResidentAnswer;
  contacted?: boolean;
  comment?: string;
}

/** Keeps the dataset's fields in datasets.ts order, drops absent ones, writes instants as ISO +08:00. */
function toRecord(dataset: Dataset, plan: object): DemoRecord {
  const src = plan as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of DATASETS[dataset].fields) {
    const v = src[f.name];
    if (v === undefined) continue;
    out[f.name] = f.kind === 'instant' && typeof v === 'number' ? formatInstant(v) : v;
  }
  return out as DemoRecord;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function planCounty(scale: number, seed: number, range: DemoRange): CountyPlan {
  const { start: START, days: DAYS } = range;
  const festivalDays = new Set<number>();
  const festivals: CountyPlan['festivals'] = [];
  // The defaults, not the environment's FESTIVAL_WINDOWS: the demo must not depend on who runs it.
  for (const w of readConfig({}).festivals) {
    for (const date of w.dates) {
      const day = Math.round((localMidnight(date) - START) / DAY);
      const days: number[] = [];
      for (let d = day - w.daysBefore; d <= day + w.daysAfter; d++) if (d >= 0 && d < DAYS) days.push(d);
      if (!days.length) continue;
      days.forEach((d) => festivalDays.add(d));
      festivals.push({ name: w.name, day, days });
    }
  }
  const departments = V.DEPARTMENTS.map((name, i) => ({ id: `D${pad(i + 1, 2)}`, name }));
  const townshipCount = Math.max(1, Math.round(12 * Math.sqrt(scale)));
  const factor = (12 * scale) / townshipCount;
  const townships: TownshipPlan[] = [];
  for (let i = 0; i < townshipCount; i++) townships.push(planTownship(seed, i, factor));
  return {
    seed,
    range,
    festivalDays,
    festivals,
    departments,
    departmentIds: new Map(departments.map((d) => [d.name, d.id])),
    townships,
  };
}

function townshipName(i: number): string {
  const slot = i % 12;
  if (i < 12) return V.TOWNSHIP_NAMES[i];
  const k = i - 12;
  const first = V.PLACE_FIRST[k % V.PLACE_FIRST.length];
  const second = V.PLACE_SECOND[Math.floor(k / V.PLACE_FIRST.length) % V.PLACE_SECOND.length];
  const lap = Math.floor(k / (V.PLACE_FIRST.length * V.PLACE_SECOND.length));
  return `${first}${second}${lap ? lap + 1 : ''}${slot === 0 ? '街道' : slot >= 8 ? '乡' : '镇'}`;
}

function planTownship(seed: number, index: number, factor: number): TownshipPlan {
  const rng = Rng.for(seed, 'structure', index);
  const slot = index % 12;
  const code = `${V.COUNTY.code.slice(0, 6)}${pad(index + 1, 3)}000`;
  const name = townshipName(index);
  const villageCount = Math.max(1, Math.round(rng.int(9, 16) * factor));
  if (villageCount > 999) throw new RangeError('scale too large: a township has at most 999 villages (3-digit codes)');
  const names = rng.sample(
    V.VILLAGE_FIRST.flatMap((a) => V.VILLAGE_SECOND.map((b) => a + b)),
    villageCount,
  );
  const villages: VillagePlan[] = [];
  for (let j = 0; j < villageCount; j++) {
    const sparse = SPARSE_SLOTS.has(slot) && villageCount > 1 && j === villageCount - 1;
    const vcode = `${code.slice(0, 9)}${pad(j + 1, 3)}`;
    // 街道 are made of 社区; a town's seat is a 社区 too.
    const community = slot === 0 || (j === 0 && slot < 8 && !sparse);
    const groupCount = sparse ? 1 : rng.int(3, 5);
    const groups = [];
    for (let g = 0; g < groupCount; g++) {
      groups.push({
        id: `${vcode}${pad(g + 1, 3)}`,
        name: `第${V.GROUP_NUMERALS[g]}${community ? '网格' : '组'}`,
        households: sparse ? rng.int(25, 40) : rng.int(50, 84),
      });
    }
    villages.push({ index: j, id: vcode, code: vcode, name: names[j % names.length] + (community ? '社区' : '村'), sparse, groups });
  }
  return { index, id: code, code, name, role: ROLE_BY_SLOT[slot] ?? 'NORMAL', factor, villages };
}

function* regionRecords(plan: CountyPlan): Iterable<DemoRecord> {
  const county = V.COUNTY.code;
  yield toRecord('regions', { id: county, parentId: null, level: 'COUNTY', name: V.COUNTY.name, code: county });
  for (const t of plan.townships) {
    yield toRecord('regions', { id: t.id, parentId: county, level: 'TOWNSHIP', name: t.name, code: t.code });
    for (const v of t.villages) {
      yield toRecord('regions', { id: v.id, parentId: t.id, level: 'VILLAGE', name: v.name, code: v.code });
      for (const g of v.groups) yield toRecord('regions', { id: g.id, parentId: v.id, level: 'GROUP', name: g.name });
    }
  }
}

function personName(rng: Rng): string {
  const surname = rng.weighted(V.SURNAMES);
  const given = rng.chance(0.7) ? rng.pick(V.GIVEN_CHARS) + rng.pick(V.GIVEN_CHARS) : rng.pick(V.GIVEN_CHARS);
  return surname + given;
}

function phoneNumber(rng: Rng): string {
  return rng.pick(V.PHONE_PREFIXES) + pad(rng.int(0, 99_999_999), 8);
}

const HOUSEHOLD_SIZES: ReadonlyArray<readonly [number, number]> = [[1, 10], [2, 22], [3, 22], [4, 20], [5, 14], [6, 8], [7, 4]];
const STAY_LENGTHS: ReadonlyArray<readonly [number, number]> = [[1, 10], [2, 12], [3, 14], [4, 14], [5, 14], [6, 10], [7, 10], [8, 6], [9, 5], [10, 5]];
const REACTIVE_CHANNELS: ReadonlyArray<readonly [IssueChannel, number]> = [['HOTLINE', 36], ['ONLINE', 24], ['WALK_IN', 20], ['PETITION', 9], ['SUGGESTION_BOX', 3]];
const BASE_CATEGORIES: ReadonlyArray<readonly [IssueCategory, number]> = [
  ['INFRASTRUCTURE', 16], ['SOCIAL_SECURITY', 14], ['DISPUTE', 12], ['HEALTHCARE', 10], ['INCOME', 9],
  ['EMPLOYMENT', 8], ['ENVIRONMENT', 8], ['EDUCATION', 7], ['LAND_RELOCATION', 7], ['PUBLIC_SAFETY', 4], ['OTHER', 5],
];
/** Households planted with repeat appeals in a pass-around township (× the township's size). */
const REPEAT_HOUSEHOLDS = 4;
const REPEAT_CHANNELS: ReadonlyArray<readonly [IssueChannel, number]> = [['HOTLINE', 40], ['WALK_IN', 30], ['PETITION', 20], ['ONLINE', 10]];
/** Days to answer, by channel (信访 has its statutory 60 days; suggestion boxes promise nothing). */
const DUE_DAYS: Record<IssueChannel, number | null> = { VISIT: 15, HOTLINE: 5, PETITION: 60, SUGGESTION_BOX: null, ONLINE: 7, WALK_IN: 15 };

/**
 * One township's records, stage by stage (cadres → households → pairings → visits → issues →
 * lifecycle → surveys). Stages are computed on first use and kept while the township is current.
 */
class TownshipGenerator {
  private memo = new Map<string, unknown>();

  constructor(
    private readonly county: CountyPlan,
    private readonly t: TownshipPlan,
  ) {}

  records(dataset: Dataset): DemoRecord[] {
    const rows: object[] =
      dataset === 'cadres' ? this.cadres()
      : dataset === 'households' ? this.households()
      : dataset === 'pairings' ? this.pairings()
      : dataset === 'visits' ? this.visits()
      : dataset === 'issues' ? this.issues()
      : dataset === 'issue_events' ? this.lifecycle().events
      : dataset === 'survey_responses' ? this.surveys()
      : [];
    return rows.map((r) => toRecord(dataset, r));
  }

  private stage<T>(name: string, make: (rng: Rng) => T): T {
    if (!this.memo.has(name)) this.memo.set(name, make(Rng.for(this.county.seed, name, this.t.index)));
    return this.memo.get(name) as T;
  }

  private get tcode() {
    return pad(this.t.index + 1, 3);
  }

  /** A random time on a day, in whole minutes between the hours given (local time). */
  private at(rng: Rng, day: number, fromHour: number, toHour: number): number {
    return this.county.range.start + day * DAY + rng.int(fromHour * 60, toHour * 60 - 1) * MINUTE;
  }

  /** A random day in [lo, hi], mostly a weekday: cadres work weekends less. */
  private workday(rng: Rng, lo = 0, hi = this.county.range.days - 1): number {
    let d = rng.int(lo, hi);
    const wd = localWeekday(this.county.range.start + d * DAY);
    if ((wd === 0 || wd === 6) && rng.chance(0.6)) d = rng.int(lo, hi);
    return d;
  }

  cadres(): CadrePlan[] {
    return this.stage('cadres', (rng) => {
      const t = this.t;
      const out: CadrePlan[] = [];
      const festival = t.role === 'FESTIVAL_ONLY';
      const add = (c: Omit<CadrePlan, 'id' | 'name' | 'phone' | 'diligence'>) =>
        out.push({
          id: `C${this.tcode}-${pad(out.length + 1, 4)}`,
          name: personName(rng),
          ...c,
          phone: rng.chance(0.95) ? phoneNumber(rng) : undefined,
          diligence: festival ? rng.bell(0.2, 0.6) : rng.bell(0.45, 1.45),
        });
      const leaders = Math.max(1, Math.round(rng.int(7, 9) * t.factor));
      const staff = Math.max(1, Math.round(rng.int(7, 11) * t.factor));
      const last = t.villages.length - 1;
      for (let i = 0; i < leaders; i++) {
        add({ regionId: t.id, rank: 'LEADER', unit: `${t.name}党委政府`, village: rng.int(0, last), atTownship: true });
      }
      for (let i = 0; i < staff; i++) {
        add({ regionId: t.id, rank: 'STAFF', unit: `${t.name}${rng.pick(['人民政府', '便民服务中心', '综治中心'])}`, village: rng.int(0, last), atTownship: true });
      }
      for (const v of t.villages) {
        const n = v.sparse ? 2 : rng.int(3, 5);
        for (let i = 0; i < n; i++) {
          // Village cadres are township staff or county departments' resident work teams (驻村工作队).
          const unit = rng.chance(0.55) ? `${t.name}人民政府` : `${V.COUNTY.name}${rng.pick(V.DEPARTMENTS)}驻村工作队`;
          add({ regionId: v.id, rank: 'STAFF', unit, village: v.index, atTownship: false });
        }
      }
      return out;
    });
  }

  households(): HouseholdPlan[] {
    return this.stage('households', (rng) => {
      const out: HouseholdPlan[] = [];
      const seat = this.t.index % 12 === 0;
      for (const v of this.t.villages) {
        for (const g of v.groups) {
          for (let k = 0; k < g.households; k++) {
            const members = rng.weighted(HOUSEHOLD_SIZES);
            const tags: HouseholdTag[] = [];
            if (rng.chance(0.06)) tags.push('LOW_INCOME');
            if (rng.chance(0.012)) tags.push('EXTREME_HARDSHIP');
            if (rng.chance(0.04)) tags.push('DISABILITY');
            if (members === 1 && rng.chance(0.45)) tags.push('ELDERLY_ALONE');
            if (members >= 2 && rng.chance(0.09)) tags.push('LEFT_BEHIND');
            if (rng.chance(seat ? 0.1 : 0.02)) tags.push('LAND_LOST');
            tags.sort(); // stored sorted; keeps re-imports unchanged
            out.push({
              id: `H${this.tcode}-${pad(out.length + 1, 6)}`,
              regionId: g.id,
              headName: personName(rng),
              phone: rng.chance(0.9) ? phoneNumber(rng) : undefined,
              members,
              tags: tags.length ? tags : undefined,
              village: v.index,
              needy: tags.length > 0,
            });
          }
        }
      }
      return out;
    });
  }

  /** Households by village, split into needy and others, for picking pairings and visits. */
  private byVillage(): Array<{ all: HouseholdPlan[]; needy: HouseholdPlan[] }> {
    return this.stage('byVillage', () => {
      const out = this.t.villages.map(() => ({ all: [] as HouseholdPlan[], needy: [] as HouseholdPlan[] }));
      for (const h of this.households()) {
        out[h.village].all.push(h);
        if (h.needy) out[h.village].needy.push(h);
      }
      return out;
    });
  }

  pairings(): PairingPlan[] {
      const { start: START, days: DAYS } = this.county.range;
    return this.stage('pairings', (rng) => {
      const out: PairingPlan[] = [];
      const villages = this.byVillage();
      const taken = new Set<string>();
      const findHousehold = (village: number): HouseholdPlan | undefined => {
        for (let attempt = 0; attempt < 30; attempt++) {
          const v = attempt < 20 ? village : rng.int(0, villages.length - 1);
          const pool = rng.chance(0.8) && villages[v].needy.length ? villages[v].needy : villages[v].all;
          const h = pool.length ? rng.pick(pool) : undefined;
          if (h && !taken.has(h.id)) return h;
        }
        return undefined;
      };
      const silentRate = this.t.role === 'FESTIVAL_ONLY' ? 0.15 : 0.08;
      this.cadres().forEach((c, ci) => {
        const k = c.rank === 'LEADER' ? (rng.chance(0.9) ? rng.int(3, 5) : rng.int(1, 2)) : rng.weighted([[1, 40], [2, 40], [3, 20]] as const);
        const add = (h: HouseholdPlan, start: number, mayEnd: boolean) => {
          taken.add(h.id);
          let end: number | null = null;
          if (mayEnd && rng.chance(0.12) && Math.max(start, 0) + 60 < DAYS - 30) end = rng.int(Math.max(start, 0) + 60, DAYS - 30);
          out.push({
            id: `P${this.tcode}-${pad(out.length + 1, 5)}`,
            cadreId: c.id,
            householdId: h.id,
            startedOn: localDate(START + start * DAY),
            endedOn: end === null ? undefined : localDate(START + end * DAY),
            cadre: ci,
            household: h,
            first: Math.max(start, 0),
            last: end ?? DAYS - 1,
            silent: rng.chance(silentRate),
          });
          return end;
        };
        for (let j = 0; j < k; j++) {
          const h = findHousehold(c.village);
          if (!h) break;
          const start = rng.chance(0.7) ? rng.int(-900, -1) : rng.int(0, 540);
          const end = add(h, start, true);
          // A household that leaves the list (moved, better off) is often replaced by another.
          if (end !== null && end + 30 < DAYS && rng.chance(0.6)) {
            const next = findHousehold(c.village);
            if (next) add(next, end + rng.int(1, 30), false);
          }
        }
      });
      return out;
    });
  }

  visits(): VisitPlan[] {
    return this.stage('visits', (rng) => {
      const cadres = this.cadres();
      const pairingsOf = cadres.map(() => [] as PairingPlan[]);
      for (const p of this.pairings()) pairingsOf[p.cadre].push(p);
      const out: Array<Omit<VisitPlan, 'id'>> = [];
      cadres.forEach((c, ci) => {
        if (this.t.role === 'FESTIVAL_ONLY') this.festivalVisits(rng, c, pairingsOf[ci], out);
        else this.regularVisits(rng, c, pairingsOf[ci], out);
      });
      out.sort((a, b) => a.visitedAt - b.visitedAt); // stable: same-minute visits keep cadre order
      return out.map((v, i) => ({ ...v, id: `V${this.tcode}-${pad(i + 1, 7)}` }) as VisitPlan);
    });
  }

  private areaVillage(rng: Rng, c: CadrePlan): number {
    return c.atTownship && rng.chance(0.4) ? rng.int(0, this.t.villages.length - 1) : c.village;
  }

  private homeVisit(rng: Rng, c: CadrePlan, h: HouseholdPlan, at: number, kind: VisitKind = 'HOME_VISIT'): Omit<VisitPlan, 'id'> {
    const notes = kind === 'HOLIDAY_GREETING' ? V.GREETING_NOTES : V.VISIT_NOTES;
    return {
      cadreId: c.id,
      regionId: h.regionId,
      householdId: h.id,
      visitedAt: at,
      kind,
      note: rng.chance(0.6) ? rng.pick(notes) : undefined,
      village: h.village,
      household: h,
    };
  }

  private villageVisit(rng: Rng, c: CadrePlan, village: number, at: number, kind: VisitKind, stayDays?: number): Omit<VisitPlan, 'id'> {
    const notes = kind === 'VILLAGE_STAY' ? V.STAY_NOTES : kind === 'FORUM' ? V.FORUM_NOTES : V.RECEPTION_NOTES;
    // Township cadres receive visitors at the township's service hall, village cadres in the village.
    const regionId = kind === 'RECEPTION' && c.atTownship ? this.t.id : this.t.villages[village].id;
    return { cadreId: c.id, regionId, visitedAt: at, kind, stayDays, note: rng.chance(0.5) ? rng.pick(notes) : undefined, village };
  }

  /** Greetings at festivals go to paired households first, then to households in need. */
  private greetingTargets(rng: Rng, c: CadrePlan, pairings: PairingPlan[], day: number, n: number): HouseholdPlan[] {
    const paired = pairings.filter((p) => !p.silent && p.first <= day && day <= p.last).map((p) => p.household);
    const silent = new Set(pairings.filter((p) => p.silent).map((p) => p.household));
    const v = this.byVillage()[c.village];
    const more = rng.sample(v.needy.length ? v.needy : v.all, n);
    return [...paired, ...more.filter((h) => !paired.includes(h) && !silent.has(h))].slice(0, n);
  }

  private regularVisits(rng: Rng, c: CadrePlan, pairings: PairingPlan[], out: Array<Omit<VisitPlan, 'id'>>): void {
    const DAYS = this.county.range.days;
    const d = c.diligence;
    const leader = c.rank === 'LEADER';
    const villages = this.byVillage();
    // Village stays: the quota (30 days for leaders, 60 for others) a year, scaled by diligence.
    const target = Math.round(((leader ? 30 : 60) * d * DAYS) / 365);
    for (let days = 0; days < target; ) {
      const stay = rng.weighted(STAY_LENGTHS);
      const day = this.workday(rng);
      out.push(this.villageVisit(rng, c, this.areaVillage(rng, c), this.at(rng, day, 8, 10), 'VILLAGE_STAY', stay));
      days += stay;
    }
    for (const p of pairings) {
      if (p.silent || p.first > p.last) continue;
      const interval = Math.min(150, Math.max(20, 40 / d));
      const n = Math.max(1, Math.round((p.last - p.first + 1) / interval));
      for (let i = 0; i < n; i++) out.push(this.homeVisit(rng, c, p.household, this.at(rng, this.workday(rng, p.first, p.last), 9, 18)));
    }
    const others = Math.round(rng.bell(40, 80) * d);
    for (let i = 0; i < others; i++) {
      const v = villages[this.areaVillage(rng, c)];
      if (!v.all.length) continue;
      out.push(this.homeVisit(rng, c, rng.pick(v.all), this.at(rng, this.workday(rng), 9, 18)));
    }
    const forums = Math.round((leader ? 10 : 5) * d * rng.bell(0.6, 1.4));
    for (let i = 0; i < forums; i++) out.push(this.villageVisit(rng, c, this.areaVillage(rng, c), this.at(rng, this.workday(rng), 9, 17), 'FORUM'));
    const receptions = Math.round((leader ? 12 : 6) * d * rng.bell(0.6, 1.4));
    for (let i = 0; i < receptions; i++) out.push(this.villageVisit(rng, c, c.village, this.at(rng, this.workday(rng), 8, 12), 'RECEPTION'));
    for (const f of this.county.festivals) {
      const before = f.days.filter((day) => day <= f.day);
      const day = rng.pick(before.length ? before : f.days);
      for (const h of this.greetingTargets(rng, c, pairings, day, rng.int(1, 3))) {
        out.push(this.homeVisit(rng, c, h, this.at(rng, day, 9, 17), 'HOLIDAY_GREETING'));
      }
    }
  }

  /** 逢年过节才走访: nearly every contact falls in a festival window. */
  private festivalVisits(rng: Rng, c: CadrePlan, pairings: PairingPlan[], out: Array<Omit<VisitPlan, 'id'>>): void {
    for (const f of this.county.festivals) {
      const day = () => rng.pick(f.days);
      for (const h of this.greetingTargets(rng, c, pairings, f.day, rng.int(3, 6))) {
        out.push(this.homeVisit(rng, c, h, this.at(rng, day(), 9, 17), 'HOLIDAY_GREETING'));
      }
      for (const p of pairings) {
        const d = day();
        if (!p.silent && p.first <= d && d <= p.last) out.push(this.homeVisit(rng, c, p.household, this.at(rng, d, 9, 17)));
      }
      if (f.name === 'SPRING_FESTIVAL' && rng.chance(0.5)) {
        out.push(this.villageVisit(rng, c, c.village, this.at(rng, day(), 8, 10), 'VILLAGE_STAY', rng.int(1, 2)));
      }
    }
    const outside = rng.int(0, 3);
    for (let i = 0; i < outside; i++) {
      let d = this.workday(rng);
      while (this.county.festivalDays.has(d)) d = this.workday(rng);
      out.push(this.villageVisit(rng, c, c.village, this.at(rng, d, 9, 12), rng.chance(0.5) ? 'RECEPTION' : 'FORUM'));
    }
  }

  private category(rng: Rng, h: HouseholdPlan | undefined): IssueCategory {
    const tags = h?.tags ?? [];
    if (tags.includes('LAND_LOST') && rng.chance(0.4)) return 'LAND_RELOCATION';
    if ((tags.includes('LOW_INCOME') || tags.includes('EXTREME_HARDSHIP') || tags.includes('DISABILITY')) && rng.chance(0.35)) {
      return rng.chance(0.6) ? 'SOCIAL_SECURITY' : 'HEALTHCARE';
    }
    if (tags.includes('LEFT_BEHIND') && rng.chance(0.25)) return 'EDUCATION';
    return rng.weighted(BASE_CATEGORIES);
  }

  issues(): IssuePlan[] {
      const DAYS = this.county.range.days;
    return this.stage('issues', (rng) => {
      const out: Array<Omit<IssuePlan, 'id'>> = [];
      const villages = this.byVillage();
      const add = (channel: IssueChannel, receivedAt: number, village: number, h?: HouseholdPlan, visitId?: string) => {
        const category = this.category(rng, h);
        const due = DUE_DAYS[channel];
        out.push({
          regionId: h?.regionId ?? this.t.villages[village].id,
          householdId: h?.id,
          visitId,
          channel,
          category,
          summary: rng.pick(V.ISSUE_SUMMARIES[category]),
          receivedAt,
          dueAt: due === null ? undefined : receivedAt + due * DAY,
          village,
        });
      };
      // 未诉先办: appeals found on visits carry the visit.
      for (const v of this.visits()) {
        const later = v.visitedAt + rng.int(10, 180) * MINUTE;
        if (v.household && rng.chance(0.05)) add('VISIT', later, v.village, v.household, v.id);
        else if (v.kind === 'FORUM' && rng.chance(0.25)) add('VISIT', later, v.village, undefined, v.id);
        else if (v.kind === 'VILLAGE_STAY' && rng.chance(0.06)) {
          const pool = villages[v.village].all;
          add('VISIT', later, v.village, pool.length && rng.chance(0.6) ? rng.pick(pool) : undefined, v.id);
        }
      }
      for (const h of this.households()) {
        const n = h.needy ? rng.weighted([[0, 55], [1, 30], [2, 11], [3, 4]] as const) : rng.weighted([[0, 75], [1, 20], [2, 4], [3, 1]] as const);
        for (let i = 0; i < n; i++) {
          const channel = rng.weighted(REACTIVE_CHANNELS);
          const office = channel === 'WALK_IN' || channel === 'PETITION';
          const day = office ? this.workday(rng) : rng.int(0, DAYS - 1);
          add(channel, office ? this.at(rng, day, 8, 18) : this.at(rng, day, rng.chance(0.9) ? 7 : 0, rng.chance(0.9) ? 22 : 24), h.village, h);
        }
      }
      for (const v of this.t.villages) {
        const n = v.sparse ? rng.int(0, 1) : rng.int(2, 6);
        for (let i = 0; i < n; i++) add(rng.chance(0.5) ? 'SUGGESTION_BOX' : 'ONLINE', this.at(rng, rng.int(0, DAYS - 1), 8, 22), v.index);
      }
      out.sort((a, b) => a.receivedAt - b.receivedAt);
      const numbered = out.map((x, i) => ({ ...x, id: `I${this.tcode}-${pad(i + 1, 6)}` }) as IssuePlan);
      // Appended with the next ids, from a stream of their own: every other record stays as it was.
      return [...numbered, ...this.repeatAppeals(numbered.length)];
    });
  }

  /**
   * 跑来跑去: in the pass-around township a few needy households, bounced between departments,
   * appeal the same matter again and again in the demo's last weeks — three or four appeals each
   * within 75 days of the end, so the REPEAT_APPEALS worklist (≥ 3 in 90 × 24 h) shows them on
   * the demo's last day and for the days after a first start. Their lifecycles and callbacks come
   * after all the others' (lifecycle() walks issues in this order; surveys() numbers their
   * callbacks last), so no other record moves.
   */
  private repeatAppeals(numbered: number): IssuePlan[] {
    if (this.t.role !== 'PASS_AROUND') return [];
    const rng = Rng.for(this.county.seed, 'repeat-appeals', this.t.index);
    const DAYS = this.county.range.days;
    const pool = this.byVillage().flatMap((v) => v.needy.filter((h) => !this.t.villages[h.village].sparse));
    const out: IssuePlan[] = [];
    for (const h of rng.sample(pool, Math.max(1, Math.round(REPEAT_HOUSEHOLDS * this.t.factor)))) {
      const category = this.category(rng, h);
      const summary = rng.pick(V.ISSUE_SUMMARIES[category]);
      const days = Array.from({ length: rng.int(3, 4) }, () => rng.int(DAYS - 75, DAYS - 2)).sort((x, y) => x - y);
      days.forEach((day, k) => {
        const channel: IssueChannel = k === 0 ? 'HOTLINE' : rng.weighted(REPEAT_CHANNELS);
        const office = channel === 'WALK_IN' || channel === 'PETITION';
        const receivedAt = this.at(rng, day, 8, office ? 18 : 22);
        const due = DUE_DAYS[channel];
        out.push({
          id: `I${this.tcode}-${pad(numbered + out.length + 1, 6)}`,
          regionId: h.regionId,
          householdId: h.id,
          channel,
          category,
          summary,
          receivedAt,
          dueAt: due === null ? undefined : receivedAt + due * DAY,
          village: h.village,
          planted: true,
        });
      });
    }
    return out;
  }

  /** Issue lifecycles: events, and the phone callbacks that can reopen them. */
  lifecycle(): { events: EventPlan[]; callbacks: Array<Omit<SurveyPlan, 'id'>> } {
      const { start: START, end: END } = this.county.range;
    return this.stage('lifecycle', (rng) => {
      const events: EventPlan[] = [];
      const callbacks: Array<Omit<SurveyPlan, 'id'>> = [];
      const role = this.t.role;
      const deptId = (name: string) => this.county.departmentIds.get(name)!;
      const allDepts = this.county.departments.map((d) => d.id);
      for (const issue of this.issues()) {
        const sparse = this.t.villages[issue.village].sparse;
        const evs: Array<Omit<EventPlan, 'id' | 'issueId'>> = [];
        const chain = V.DEPARTMENTS_BY_CATEGORY[issue.category].map(deptId);
        let t = issue.receivedAt + rng.int(20, role === 'PASS_AROUND' ? 24 * 60 : 8 * 60) * MINUTE;
        let dept = chain[0];
        evs.push({ at: t, type: 'ASSIGNED', departmentId: dept });
        // 推来推去: the pass-around township bounces most appeals between departments.
        const transfers = role === 'PASS_AROUND' ? (rng.chance(0.85) ? rng.int(2, 4) : 1) : rng.chance(0.08) ? (rng.chance(0.15) ? 2 : 1) : 0;
        if (transfers && rng.chance(0.25)) {
          // Some units acknowledge the appeal first and only then pass it on.
          t += rng.int(30, 8 * 60) * MINUTE;
          evs.push({ at: t, type: 'RESPONDED' });
        }
        for (let k = 0; k < transfers; k++) {
          t += rng.int(12 * 60, 72 * 60) * MINUTE;
          const next = chain[(chain.indexOf(dept) + 1) % chain.length];
          dept = next !== dept ? next : rng.pick(allDepts.filter((x) => x !== dept));
          evs.push({ at: t, type: 'TRANSFERRED', departmentId: dept, note: rng.chance(0.5) ? '不属于本单位职责，转交办理' : undefined });
        }
        const quick = rng.chance(role === 'PASS_AROUND' ? 0.3 : 0.85);
        t += (quick ? rng.int(30, 20 * 60) : rng.int(24 * 60, 96 * 60)) * MINUTE;
        const stalled = rng.chance(0.03);
        let outcome: 'RESOLVED' | 'EXPLAINED' = rng.chance(0.08) ? 'EXPLAINED' : 'RESOLVED';
        const direct = outcome === 'RESOLVED' && !stalled && rng.chance(0.15);
        if (!direct) {
          evs.push({ at: t, type: 'RESPONDED' });
          const slow = issue.category === 'INFRASTRUCTURE' || issue.category === 'LAND_RELOCATION';
          t += rng.int(24 * 60, (slow ? 40 : 15) * 24 * 60) * MINUTE;
        }
        if (!stalled) {
          evs.push({ at: t, type: outcome, note: outcome === 'EXPLAINED' ? '已向群众解释政策规定' : undefined });
          // 报喜不报忧: the false-closure township closes the case at once, before anyone asks the resident.
          if (role === 'FALSE_CLOSURE' && outcome === 'RESOLVED' && rng.chance(0.7)) {
            t += rng.int(60, 24 * 60) * MINUTE;
            evs.push({ at: t, type: 'CLOSED' });
          }
          const callbackRate = sparse ? 0.25 : 0.62;
          for (let round = 0; round < 2 && rng.chance(callbackRate); round++) {
            const at = this.at(rng, Math.floor((t - START) / DAY) + rng.int(1, 5), 9, 18);
            const answer = this.answer(rng, outcome, round);
            const score = this.score(rng, answer);
            callbacks.push({
              regionId: issue.regionId,
              issueId: issue.id,
              householdId: issue.householdId,
              respondedAt: at,
              channel: 'PHONE_CALLBACK',
              score,
              resolved: answer,
              contacted: role === 'FALSE_CLOSURE' ? rng.chance(0.35) : answer === 'NO' ? rng.chance(0.75) : rng.chance(0.97),
              comment: this.comment(rng, score),
            });
            t = Math.max(t, at);
            if (answer === 'NO' && round === 0 && rng.chance(role === 'FALSE_CLOSURE' ? 0.1 : 0.6)) {
              t += rng.int(4 * 60, 48 * 60) * MINUTE;
              evs.push({ at: t, type: 'REOPENED', note: '群众反映问题未解决，重新办理' });
              t += rng.int(2 * 60, 24 * 60) * MINUTE;
              evs.push({ at: t, type: 'RESPONDED' });
              t += rng.int(48 * 60, 12 * 24 * 60) * MINUTE;
              outcome = 'RESOLVED';
              evs.push({ at: t, type: 'RESOLVED' });
              continue;
            }
            if (answer !== 'NO' && role !== 'FALSE_CLOSURE' && rng.chance(0.5)) {
              t += rng.int(60, 72 * 60) * MINUTE;
              evs.push({ at: t, type: 'CLOSED' });
            }
            break;
          }
        }
        const seq = issue.id.slice(1);
        // Only what has happened by the end of the demo's range exists; later events stay open.
        evs.filter((e) => e.at <= END).forEach((e, k) => events.push({ ...e, id: `E${seq}-${pad(k + 1, 2)}`, issueId: issue.id }));
      }
      return { events, callbacks: callbacks.filter((c) => c.respondedAt <= END) };
    });
  }

  private answer(rng: Rng, outcome: 'RESOLVED' | 'EXPLAINED', round: number): ResidentAnswer {
    if (outcome === 'EXPLAINED') return rng.weighted([['YES', 15], ['PARTLY', 40], ['NO', 45]] as const);
    if (this.t.role === 'FALSE_CLOSURE' && round === 0) return rng.weighted([['YES', 25], ['PARTLY', 20], ['NO', 55]] as const);
    if (this.t.role === 'PASS_AROUND') return rng.weighted([['YES', 62], ['PARTLY', 22], ['NO', 16]] as const);
    if (round > 0) return rng.weighted([['YES', 70], ['PARTLY', 20], ['NO', 10]] as const);
    return rng.weighted([['YES', 78], ['PARTLY', 14], ['NO', 8]] as const);
  }

  private score(rng: Rng, answer: ResidentAnswer): number {
    if (answer === 'NO') return rng.weighted([[3, 10], [2, 40], [1, 50]] as const);
    if (answer === 'PARTLY') return rng.weighted([[5, 5], [4, 25], [3, 45], [2, 20], [1, 5]] as const);
    if (this.t.role === 'PASS_AROUND') return rng.weighted([[5, 35], [4, 40], [3, 18], [2, 7]] as const);
    return rng.weighted([[5, 55], [4, 35], [3, 8], [2, 2]] as const);
  }

  private comment(rng: Rng, score: number): string | undefined {
    if (score >= 5) return rng.chance(0.15) ? rng.pick(V.PRAISE) : undefined;
    if (score > 2 || !rng.chance(0.5)) return undefined;
    const c = V.COMPLAINTS;
    if (this.t.role === 'FALSE_CLOSURE') return rng.pick([c[0], c[3]]);
    if (this.t.role === 'PASS_AROUND') return c[1];
    if (this.t.role === 'FESTIVAL_ONLY') return c[2];
    return rng.pick([c[0], c[4]]);
  }

  /** Callbacks plus general satisfaction surveys naming a cadre, in time order. */
  surveys(): SurveyPlan[] {
      const DAYS = this.county.range.days;
    return this.stage('surveys', (rng) => {
      const out: Array<Omit<SurveyPlan, 'id'>> = [...this.lifecycle().callbacks];
      const villages = this.byVillage();
      const pairingsOf = new Map<string, HouseholdPlan[]>();
      for (const p of this.pairings()) pairingsOf.set(p.cadreId, [...(pairingsOf.get(p.cadreId) ?? []), p.household]);
      // Residents rate the cadres of the festival-only and the false-closure townships low.
      const disliked = this.t.role === 'FESTIVAL_ONLY' || this.t.role === 'FALSE_CLOSURE';
      for (const c of this.cadres()) {
        if (this.t.villages[c.village].sparse && !c.atTownship) continue;
        const paired = (pairingsOf.get(c.id) ?? []).filter((h) => !this.t.villages[h.village].sparse);
        const n = rng.int(8, 16);
        for (let i = 0; i < n; i++) {
          const pool = villages[this.areaVillage(rng, c)];
          const h = paired.length && rng.chance(0.5) ? rng.pick(paired) : pool.all.length ? rng.pick(pool.all) : undefined;
          if (!h || this.t.villages[h.village].sparse) continue;
          const satisfied = rng.chance(disliked ? 0.4 : Math.min(0.97, 0.45 + 0.4 * c.diligence));
          const score = satisfied ? rng.weighted([[5, 55], [4, 45]] as const) : rng.weighted([[3, 55], [2, 30], [1, 15]] as const);
          out.push({
            regionId: h.regionId,
            cadreId: c.id,
            householdId: h.id,
            respondedAt: this.at(rng, rng.int(0, DAYS - 1), 9, 20),
            channel: rng.weighted([['SMS', 40], ['IN_PERSON', 35], ['ONLINE', 25]] as const),
            score,
            comment: this.comment(rng, score),
          });
        }
      }
      out.sort((a, b) => a.respondedAt - b.respondedAt);
      // The planted appeals' callbacks take the next ids, so every other response keeps its own.
      const planted = new Set(this.issues().filter((i) => i.planted).map((i) => i.id));
      const ordered = [...out.filter((x) => !planted.has(x.issueId ?? '')), ...out.filter((x) => planted.has(x.issueId ?? ''))];
      return ordered.map((s, i) => ({ ...s, id: `S${this.tcode}-${pad(i + 1, 6)}` }));
    });
  }
}

/** Cuts a stream into arrays of at most `size` records (import batches). */
export function* inBatches<T>(records: Iterable<T>, size: number): Iterable<T[]> {
  let batch: T[] = [];
  for (const r of records) {
    batch.push(r);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The default range (ending on DEMO_TO). */
export const DEMO_RANGE: DemoRange = demoRange(DEMO_TO);
