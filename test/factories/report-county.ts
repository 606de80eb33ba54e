import type { ImportService } from '../../src/import/import.service';
import type { Dataset } from '../../src/domain/datasets';
import type { Rec } from '.';

/*
 * A county of five townships for the monthly report (月度通报), in the import format, over three
 * months: the report month 2025-03, the month before (2025-02, 环比) and a year before (2024-03,
 * 同比), all in Asia/Shanghai, MIN_RESPONSES 5, VETO_LINE 0.6, asOf 2025-04-10 12:00 +08:00.
 * Everything below is worked out by hand; the tests state the results.
 *
 * SATISFIED_RATE (higher is better) / DISSATISFIED_RATE (lower is better), responses by month:
 *
 *   2025-03  t1 19×5 + i1's callback 5        = 20/20 sat (1.0, Wilson [0.8389, 1]),  0/20 dis [0, 0.1611]
 *            t2 5×5, 3×1 + callbacks i2 1, i3 4 =  6/10 sat (0.6, [0.3127, 0.8318]),  4/10 dis [0.1682, 0.6873]
 *            t3 3×5, 2×1                       =  3/5  sat (0.6, [0.2307, 0.8824]),  2/5  dis [0.1176, 0.7693]
 *            t4 3×5, 1×1, 6×3 (naming cE)      =  3/10 sat (0.3, [0.1078, 0.6032]),  1/10 dis [0.0179, 0.4042]
 *            t5 4×5                            =  4 responses < 5: suppressed
 *            the county itself 1×1             =  above the level: in no township's row
 *     SAT ranks t1 1 (band 1), t2 2 and t3 2 (band 2: t1's low 0.8389 > t2's high 0.8318), t4 4 (band 2), t5 5 (band 3)
 *     DIS ranks t1 1, t4 2, t2 3, t3 3 (one band: each interval meets the one above), t5 5 (band 2)
 *   2025-02  t1 2×5, 3×1 (0.4 / 0.6); t2 5×5 (1.0 / 0); t3 none (suppressed); t4 4×5, 1×1 naming cE (0.8 / 0.2); t5 3×5, 2×3 (0.6 / 0)
 *     SAT ranks t2 1, t4 2, t5 3, t1 4, t3 5;   DIS ranks t2 1, t5 1, t4 3, t1 4, t3 5
 *   2024-03  t1 5×5 (1.0 / 0); t2 1×5, 4×1 (0.2 / 0.8); t3 3×5, 2×2 (0.6 / 0.4); t4 3×5, 2×3 (0.6 / 0); t5 9×5, 1×1 (0.9 / 0.1)
 *     SAT ranks t1 1, t5 2, t3 3, t4 3, t2 5;   DIS ranks t1 1, t4 1, t5 3, t3 4, t2 5
 *   2025-04  t4 10×5 naming cE (after the month: no row counts it, nor cE's year to the month's end)
 *
 * VISITS (higher is better; a count, so every region has a value and bands are equal values):
 *   2025-03 t1 3 (cA's 6-day stay and two home visits), t2 2, t3 2, t4 1, t5 0 → ranks 1, 2, 2, 4, 5;
 *           bottom = the rows ranked at or below the third valued row from the end (t3, rank 2): t2 t3 t4 t5
 *   2025-02 t2 1 (cB's 12-day stay, 10 Feb), t3 4 (greetings on 1 Feb, in the Spring Festival window) → t3 1, t2 2, others 3
 *   2024-03 t1 1, t5 3 → t5 1, t1 2, others 3
 *
 * Festival-only visiting, 2024-04-01 … 2025-03-31 (share of visits in festival windows, flagged at ≥ 0.8):
 *   t3 4 greetings on 2024-09-17 (中秋) + 4 on 2025-02-01 (春节) + 2 March visits = 8/10 = 0.8 exactly → flagged;
 *   t4 3/5 = 0.6; t1 0/3; t2 0/3 (its April stay is after the month); t5 none in the window (its 2024-02-10 greeting is before it).
 *
 * Cadres, 2025 to the month's end (90 of 365 days): pace = quota × 90 / 365, behind when stay days <
 * floor(quota × 90 × 0.9 / 365): 6 for LEADERs (quota 30), 13 for STAFF (quota 60).
 *   cA LEADER t1 6 days → on pace; cB STAFF t2 12 days (its 5-day stay on 5 April is after the month) → behind;
 *   cC t3 0, cE t4 0, cF t5 0 (its stay was in 2024) → behind; cD t4 13 days (15 January) → on pace.
 *   cE is named by t4's February and March responses: 7 satisfied of 15 = 0.467 < 0.6 → vetoed
 *   (with April's ten 5s it would be 17/25 = 0.68: the month's end cuts them off).
 *   Behind pace, furthest first: cC, cE, cF (0 days, by id), then cB (12 / 14.79).
 *
 * Issues received in 2025-03 (due dates in brackets), as of asOf:
 *   i1 t1 [03-08] → dA, resolved 03-05 (on time), callback YES, contacted, score 5
 *   i2 t2 [03-09] → dA, transferred to dB, resolved 03-12 (late), callback NO, not contacted, score 1
 *   i3 t2 [03-15] → dB, responded within 6 h, transferred to dC and back to dB, resolved 03-14, callback YES, contacted, 4
 *   i4 t3 [03-25] → dC, still open
 *   i5 t4 (no due date), never assigned
 *   i6 t1 [04-02] → dA, resolved 04-01 (on time, after the month but before asOf), callback 04-02 YES, contacted, 5
 *   Departments: dA 2 issues, transfer 0/2, mean transfers 0, on time 2/2, false closure 0/2, contacted 2/2;
 *                dB 2, transfer 2/2, mean 1.5, on time 1/2, false closure 1/2, contacted 1/2;
 *                dC 1, transfer 0/1, mean 0, on time 0/1, false closure 0/0, contacted 0/0;
 *                never assigned 1 (i5), transfer 0/1, on time 0/0.
 *     By TRANSFER_RATE (lower is better): dA 1, dC 1 (0 = 0), dB 3; one band ([0, 0.6576], [0, 0.7935], [0.3424, 1]); unassigned last, unranked.
 *   THREE_RATE_SCORE (0.30 response + 0.35 resolution + 0.35 issue satisfaction):
 *     t1 100 × (0.3·0/2 + 0.35·2/2 + 0.35·2/2) = 70; t2 100 × (0.3·1/2 + 0.35·1/2 + 0.35·1/2) = 50;
 *     t3 (no answer yet), t4, t5: null → ranks 1, 2, 3, 3, 3; bottom t1, t2. February has no issues: all null, all rank 1.
 */

export const REPORT_MONTH = '2025-03';
/** The instant the tests render (and publish) at. */
export const REPORT_AS_OF = new Date('2025-04-10T12:00:00+08:00');
export const TOWNSHIPS = ['t1', 't2', 't3', 't4', 't5'];

const at = (local: string) => `${local}+08:00`;
let n = 0;
const id = (p: string) => `${p}${++n}`;

/** `count` general survey responses of `score` in `region` on `day` (one a minute from 10:00), naming `cadreId` if given. */
const responses = (region: string, day: string, count: number, score: number, cadreId?: string): Rec[] =>
  Array.from({ length: count }, (_, k) => ({
    id: id('s'),
    regionId: region,
    respondedAt: at(`${day}T10:${String(k).padStart(2, '0')}:00`),
    channel: 'SMS',
    score,
    ...(cadreId ? { cadreId } : {}),
  }));

const visit = (cadreId: string, regionId: string, local: string, kind = 'HOME_VISIT', stayDays?: number): Rec => ({
  id: id('v'),
  cadreId,
  regionId,
  visitedAt: at(local),
  kind,
  ...(stayDays !== undefined ? { stayDays } : {}),
});

const greetings = (cadreId: string, regionId: string, day: string, count: number): Rec[] =>
  Array.from({ length: count }, (_, k) => visit(cadreId, regionId, `${day}T${String(9 + k).padStart(2, '0')}:00:00`, 'HOLIDAY_GREETING'));

const event = (issueId: string, local: string, type: string, departmentId?: string): Rec => ({ id: id('e'), issueId, at: at(local), type, ...(departmentId ? { departmentId } : {}) });

const callback = (issueId: string, regionId: string, local: string, score: number, resolved: string, contacted: boolean): Rec => ({
  id: id('s'),
  regionId,
  issueId,
  respondedAt: at(local),
  channel: 'PHONE_CALLBACK',
  score,
  resolved,
  contacted,
});

/** The county's records by dataset, in import order. */
export function reportCounty(): Array<[Dataset, Rec[]]> {
  n = 0;
  const names = ['东镇', '西镇', '南镇', '北镇', '中镇'];
  return [
    ['regions', [{ id: 'cty', parentId: null, level: 'COUNTY', name: '青山测试县' }, ...TOWNSHIPS.map((t, k) => ({ id: t, parentId: 'cty', level: 'TOWNSHIP', name: names[k] }))]],
    ['departments', [{ id: 'dA', name: '民政局' }, { id: 'dB', name: '住建局' }, { id: 'dC', name: '人社局' }]],
    [
      'cadres',
      [
        { id: 'cA', name: '赵领导', regionId: 't1', rank: 'LEADER' },
        { id: 'cB', name: '钱干部', regionId: 't2', rank: 'STAFF' },
        { id: 'cC', name: '孙干部', regionId: 't3', rank: 'STAFF' },
        { id: 'cD', name: '李干部', regionId: 't4', rank: 'STAFF' },
        { id: 'cE', name: '周干部', regionId: 't4', rank: 'STAFF' },
        { id: 'cF', name: '吴干部', regionId: 't5', rank: 'STAFF' },
      ],
    ],
    [
      'visits',
      [
        visit('cA', 't1', '2025-03-10T09:00:00', 'VILLAGE_STAY', 6),
        visit('cA', 't1', '2025-03-11T09:00:00'),
        visit('cA', 't1', '2025-03-12T09:00:00'),
        visit('cB', 't2', '2025-03-13T09:00:00'),
        visit('cB', 't2', '2025-03-14T09:00:00'),
        visit('cC', 't3', '2025-03-15T09:00:00'),
        visit('cC', 't3', '2025-03-16T09:00:00'),
        visit('cD', 't4', '2025-03-17T09:00:00'),
        visit('cB', 't2', '2025-02-10T09:00:00', 'VILLAGE_STAY', 12),
        ...greetings('cC', 't3', '2025-02-01', 4),
        visit('cD', 't4', '2025-01-15T09:00:00', 'VILLAGE_STAY', 13),
        visit('cB', 't2', '2025-04-05T09:00:00', 'VILLAGE_STAY', 5),
        ...greetings('cC', 't3', '2024-09-17', 4),
        ...greetings('cD', 't4', '2024-09-17', 3),
        visit('cF', 't5', '2024-03-05T09:00:00'),
        visit('cF', 't5', '2024-03-06T09:00:00'),
        visit('cF', 't5', '2024-03-20T09:00:00', 'VILLAGE_STAY', 20),
        visit('cA', 't1', '2024-03-10T09:00:00'),
        visit('cF', 't5', '2024-02-10T09:00:00', 'HOLIDAY_GREETING'),
      ],
    ],
    [
      'issues',
      [
        { id: 'i1', regionId: 't1', channel: 'HOTLINE', category: 'OTHER', receivedAt: at('2025-03-03T09:00:00'), dueAt: at('2025-03-08T09:00:00') },
        { id: 'i2', regionId: 't2', channel: 'HOTLINE', category: 'OTHER', receivedAt: at('2025-03-04T09:00:00'), dueAt: at('2025-03-09T09:00:00') },
        { id: 'i3', regionId: 't2', channel: 'HOTLINE', category: 'OTHER', receivedAt: at('2025-03-10T09:00:00'), dueAt: at('2025-03-15T09:00:00') },
        { id: 'i4', regionId: 't3', channel: 'HOTLINE', category: 'OTHER', receivedAt: at('2025-03-20T09:00:00'), dueAt: at('2025-03-25T09:00:00') },
        { id: 'i5', regionId: 't4', channel: 'SUGGESTION_BOX', category: 'OTHER', receivedAt: at('2025-03-25T09:00:00') },
        { id: 'i6', regionId: 't1', channel: 'HOTLINE', category: 'OTHER', receivedAt: at('2025-03-28T09:00:00'), dueAt: at('2025-04-02T09:00:00') },
      ],
    ],
    [
      'issue_events',
      [
        event('i1', '2025-03-03T10:00:00', 'ASSIGNED', 'dA'),
        event('i1', '2025-03-05T10:00:00', 'RESOLVED'),
        event('i2', '2025-03-04T10:00:00', 'ASSIGNED', 'dA'),
        event('i2', '2025-03-05T10:00:00', 'TRANSFERRED', 'dB'),
        event('i2', '2025-03-12T10:00:00', 'RESOLVED'),
        event('i3', '2025-03-10T10:00:00', 'ASSIGNED', 'dB'),
        event('i3', '2025-03-10T15:00:00', 'RESPONDED'),
        event('i3', '2025-03-11T10:00:00', 'TRANSFERRED', 'dC'),
        event('i3', '2025-03-12T10:00:00', 'TRANSFERRED', 'dB'),
        event('i3', '2025-03-14T10:00:00', 'RESOLVED'),
        event('i4', '2025-03-20T10:00:00', 'ASSIGNED', 'dC'),
        event('i6', '2025-03-28T10:00:00', 'ASSIGNED', 'dA'),
        event('i6', '2025-04-01T10:00:00', 'RESOLVED'),
      ],
    ],
    [
      'survey_responses',
      [
        // 2025-03
        ...responses('t1', '2025-03-05', 19, 5),
        ...responses('t2', '2025-03-05', 5, 5),
        ...responses('t2', '2025-03-06', 3, 1),
        ...responses('t3', '2025-03-05', 3, 5),
        ...responses('t3', '2025-03-06', 2, 1),
        ...responses('t4', '2025-03-05', 3, 5, 'cE'),
        ...responses('t4', '2025-03-06', 1, 1, 'cE'),
        ...responses('t4', '2025-03-07', 6, 3, 'cE'),
        ...responses('t5', '2025-03-05', 4, 5),
        ...responses('cty', '2025-03-05', 1, 1),
        callback('i1', 't1', '2025-03-06T10:00:00', 5, 'YES', true),
        callback('i2', 't2', '2025-03-13T10:00:00', 1, 'NO', false),
        callback('i3', 't2', '2025-03-15T10:00:00', 4, 'YES', true),
        // 2025-02
        ...responses('t1', '2025-02-12', 2, 5),
        ...responses('t1', '2025-02-13', 3, 1),
        ...responses('t2', '2025-02-12', 5, 5),
        ...responses('t4', '2025-02-12', 4, 5, 'cE'),
        ...responses('t4', '2025-02-13', 1, 1, 'cE'),
        ...responses('t5', '2025-02-12', 3, 5),
        ...responses('t5', '2025-02-13', 2, 3),
        // 2024-03
        ...responses('t1', '2024-03-12', 5, 5),
        ...responses('t2', '2024-03-12', 1, 5),
        ...responses('t2', '2024-03-13', 4, 1),
        ...responses('t3', '2024-03-12', 3, 5),
        ...responses('t3', '2024-03-13', 2, 2),
        ...responses('t4', '2024-03-12', 3, 5),
        ...responses('t4', '2024-03-13', 2, 3),
        ...responses('t5', '2024-03-12', 9, 5),
        ...responses('t5', '2024-03-13', 1, 1),
        // After the month, before asOf.
        callback('i6', 't1', '2025-04-02T10:00:00', 5, 'YES', true),
        ...responses('t4', '2025-04-03', 10, 5, 'cE'),
      ],
    ],
  ];
}

/** Imports the county through the real write path, dataset by dataset. */
export async function importReportCounty(importer: ImportService): Promise<void> {
  for (const [dataset, records] of reportCounty()) await importer.importRecords(dataset, records);
}

/**
 * Facts that arrive after a publication, for the report month: a fifth March response for t5
 * (dated in March, recorded late: an as-of render now counts it, t5 is no longer suppressed),
 * and a callback for i4 dated 20 April (after the publication's asOf: an as-of render leaves it
 * out; a render as of now makes dC's contacted rate 0/1).
 */
export function lateFacts(): Array<[Dataset, Rec[]]> {
  return [
    [
      'survey_responses',
      [
        { id: 'late-t5', regionId: 't5', respondedAt: at('2025-03-20T10:00:00'), channel: 'SMS', score: 5 },
        { id: 'late-i4', regionId: 't3', issueId: 'i4', respondedAt: at('2025-04-20T10:00:00'), channel: 'PHONE_CALLBACK', score: 2, resolved: 'NO', contacted: false },
      ],
    ],
  ];
}
