import { readConfig } from '../../src/config';
import { nextRunAt, parseExtractJobs, parseSchedule } from '../../src/domain/extract-jobs';

describe(parseSchedule.name, () => {
  it.each([
    ['15m', { kind: 'interval', ms: 900_000 }],
    ['1h', { kind: 'interval', ms: 3_600_000 }],
    ['24h', { kind: 'interval', ms: 86_400_000 }],
    ['2d', { kind: 'interval', ms: 172_800_000 }],
    ['02:30', { kind: 'daily', hour: 2, minute: 30 }],
    ['23:59', { kind: 'daily', hour: 23, minute: 59 }],
  ])('reads %s', (s, want) => expect(parseSchedule(s)).toEqual(want));

  it.each(['0m', '30s', '1w', '24:00', '2:30', '12:60', 'hourly', ''])('refuses %s', (s) => expect(parseSchedule(s)).toBeNull());
});

describe(nextRunAt.name, () => {
  const utc = (s: string) => Date.parse(s);
  const zone = 'Asia/Shanghai';

  it('runs an interval job now when it never ran or is overdue, otherwise an interval after its last start', () => {
    const every = { kind: 'interval' as const, ms: 3_600_000 };
    expect(nextRunAt(every, null, utc('2025-03-01T00:00:00Z'), zone)).toBe(utc('2025-03-01T00:00:00Z'));
    expect(nextRunAt(every, utc('2025-03-01T00:00:00Z'), utc('2025-03-01T00:10:00Z'), zone)).toBe(utc('2025-03-01T01:00:00Z'));
    expect(nextRunAt(every, utc('2025-03-01T00:00:00Z'), utc('2025-03-01T05:00:00Z'), zone)).toBe(utc('2025-03-01T05:00:00Z'));
  });

  it('runs a daily job at the local time in the reporting zone', () => {
    const daily = { kind: 'daily' as const, hour: 2, minute: 30 };
    // 2025-03-01T10:00Z is 18:00 in Shanghai: the next 02:30 local is 2025-03-02T02:30+08:00.
    expect(nextRunAt(daily, null, utc('2025-03-01T10:00:00Z'), zone)).toBe(utc('2025-03-01T18:30:00Z'));
    // Last ran at 02:30 local today: next is tomorrow.
    expect(nextRunAt(daily, utc('2025-03-01T18:30:00Z'), utc('2025-03-01T19:00:00Z'), zone)).toBe(utc('2025-03-02T18:30:00Z'));
    // Missed while the server was down: catch up once, now.
    expect(nextRunAt(daily, utc('2025-03-01T18:30:00Z'), utc('2025-03-05T00:00:00Z'), zone)).toBe(utc('2025-03-05T00:00:00Z'));
  });

  it('keeps the wall-clock time across a daylight-saving change', () => {
    const daily = { kind: 'daily' as const, hour: 2, minute: 30 };
    // Europe/Berlin springs forward on 2025-03-30 (02:00 → 03:00); 02:30 that day does not exist, luxon moves it to 03:30.
    const last = utc('2025-03-28T01:30:00Z'); // 02:30 CET on the 28th
    expect(nextRunAt(daily, last, last, 'Europe/Berlin')).toBe(utc('2025-03-29T01:30:00Z'));
    const after = utc('2025-03-30T01:30:00Z'); // 03:30 CEST on the 30th
    expect(nextRunAt(daily, after, after, 'Europe/Berlin')).toBe(utc('2025-03-31T00:30:00Z')); // 02:30 CEST
  });
});

describe(parseExtractJobs.name, () => {
  it('fills defaults: name from dataset and format, folder from name', () => {
    expect(parseExtractJobs([{ dataset: 'visits', schedule: '15m' }])).toEqual([
      { name: 'visits-ndjson', dataset: 'visits', format: 'ndjson', schedule: '15m', folder: 'visits-ndjson', incremental: false, labels: false, bom: false, days: 90 },
    ]);
  });

  it.each([
    [{}, 'job 0: dataset must be one of regions,'],
    [{ dataset: 'visits', schedule: 'hourly' }, 'job 0: schedule must be an interval of at least a minute'],
    [{ dataset: 'visits', schedule: '1h', format: 'xlsx' }, 'job 0: format must be ndjson or csv'],
    [{ dataset: 'daily_metrics', schedule: '1h', incremental: true }, 'daily_metrics is recomputed for a date range and cannot be incremental'],
    [{ dataset: 'alerts', schedule: '1h', incremental: true }, 'alerts are computed as of each run and cannot be incremental'],
    [{ dataset: 'visits', schedule: '1h', days: 7 }, 'days applies to daily_metrics only'],
    [{ dataset: 'visits', schedule: '1h', incremental: 'yes' }, 'incremental must be true or false'],
    [{ dataset: 'visits', schedule: '1h', every: '1h' }, 'unknown key(s) every'],
    [{ dataset: 'visits', schedule: '1h', name: '../x' }, 'name must be 1–64 letters'],
  ])('refuses %j', (job, message) => expect(() => parseExtractJobs([job])).toThrow(message));

  it('refuses two jobs with one name', () => {
    expect(() => parseExtractJobs([{ dataset: 'visits', schedule: '1h' }, { dataset: 'visits', schedule: '2h' }])).toThrow(
      'job 1: name "visits-ndjson" is used twice; give each job its own name',
    );
  });
});

describe('EXTRACT_* configuration', () => {
  it('reads jobs, folder and retention', () => {
    const c = readConfig({ EXTRACT_JOBS: '[{"dataset":"issues","format":"csv","schedule":"02:00","incremental":true}]', EXTRACT_DIR: '/srv/bi', EXTRACT_KEEP_RUNS: '30' });
    expect(c.extractJobs).toEqual([
      { name: 'issues-csv', dataset: 'issues', format: 'csv', schedule: '02:00', folder: 'issues-csv', incremental: true, labels: false, bom: false, days: 90 },
    ]);
    expect([c.extractDir, c.extractKeepRuns]).toEqual(['/srv/bi', 30]);
    expect(readConfig({})).toMatchObject({ extractJobs: [], extractDir: './data/extracts', extractKeepRuns: 7 });
  });

  it.each([
    ['not json', 'EXTRACT_JOBS: expected JSON'],
    ['{}', 'EXTRACT_JOBS: expected a JSON array of jobs'],
    ['[{"dataset":"nope","schedule":"1h"}]', 'EXTRACT_JOBS: job 0: dataset must be one of'],
  ])('stops start-up on EXTRACT_JOBS=%s naming the variable', (value, message) => {
    expect(() => readConfig({ EXTRACT_JOBS: value })).toThrow(message);
  });

  it('refuses EXTRACT_KEEP_RUNS=0', () => expect(() => readConfig({ EXTRACT_KEEP_RUNS: '0' })).toThrow('EXTRACT_KEEP_RUNS'));
});
