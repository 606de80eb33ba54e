'use strict';
// The dashboard's department panel (承办单位): issues received per handling department with their
// transfer, on-time, false-closure and contacted rates, ranked by one of them with tie bands.
// It rides on the "issues" request (dashboard-queries.js ISSUES) and registers itself with
// dashboard.js through window.MQ_PANELS.
//
// Click-through: a department's count and each rate's numerator open the records behind them in
// the drill-through list (drill.js, window.MQ_DRILL), as a drill(input) of the panel's range,
// region, issue filters and asOf with that department: the list's total is the number clicked.
(function () {
  const F = window.MQ_FORMAT;
  const i18n = window.MQ_I18N;
  i18n.extend({
    departments: ['承办单位', 'Handling departments'],
    department: ['承办单位', 'Department'],
    issuesReceived: ['受理数', 'Issues'],
    unassigned: ['（未分派）', '(not assigned)'],
    rankedBy: ['排序：{m}（{dir}）', 'Ranked by {m} ({dir})'],
    HIGHER: ['越高越好', 'higher is better'],
    LOWER: ['越低越好', 'lower is better'],
    NONE: ['从多到少', 'largest first'],
  });
  const t = (k, vars) => i18n.t(k).replace(/\{(\w+)\}/g, (m, name) => (vars && name in vars ? vars[name] : m));
  const MEASURES = ['ISSUES_RECEIVED', 'TRANSFER_RATE', 'AVG_TRANSFERS', 'ON_TIME_RATE', 'FALSE_CLOSURE_RATE', 'CONTACTED_RATE'];
  const FIELD = { TRANSFER_RATE: 'transferRate', AVG_TRANSFERS: 'avgTransfers', ON_TIME_RATE: 'onTimeRate', FALSE_CLOSURE_RATE: 'falseClosureRate', CONTACTED_RATE: 'contactedRate' };
  /** The measures whose count opens a list (the mean has no records of its own). */
  const DRILLABLE = new Set(['ISSUES_RECEIVED', 'TRANSFER_RATE', 'ON_TIME_RATE', 'FALSE_CLOSURE_RATE', 'CONTACTED_RATE']);

  /** The drill(input) of a department's number: the panel's answer (range, zone, asOf, region) and the page's issue filters. */
  function drillInput(f, state, departmentId, measure) {
    const input = { measure, part: 'NUMERATOR', from: f.from, to: f.to, timeZone: f.timeZone, asOf: f.asOf, departmentIds: [departmentId] };
    if (f.regionId) input.regionId = f.regionId;
    if (state.categories && state.categories.length) input.categories = state.categories;
    if (state.channels && state.channels.length) input.channels = state.channels;
    return input;
  }

  function render(answer, api) {
    const { el, table } = api;
    const d = answer.dashboard;
    const rows = d.departments || [];
    const rankBy = (rows[0] && rows[0].rankedBy) || api.state().rankBy || 'TRANSFER_RATE';
    const select = document.getElementById('departments-rank-by');
    select.replaceChildren(...MEASURES.map((m) => el('option', { value: m, selected: m === rankBy }, i18n.label('Measure', m))));
    select.onchange = () => api.navigate({ rankBy: select.value });
    document.getElementById('departments-note').textContent = t('rankedBy', { m: i18n.label('Measure', rankBy), dir: t(F.info(rankBy).better) });
    const drill = window.MQ_DRILL && typeof window.MQ_DRILL.open === 'function' ? window.MQ_DRILL : null;
    /** A count that opens its issues (when the drill-through list is on the page). */
    const count = (row, measure, n, text) => {
      if (!drill || !row.department || !DRILLABLE.has(measure) || !n) return text;
      const input = drillInput(d.filter, api.state(), row.department.id, measure);
      return el('a', { href: '#', class: 'drill-issues', dataset: { measure }, onclick: (ev) => (ev.preventDefault(), drill.open(input)) }, text);
    };
    const rate = (row, measure) => {
      const mv = row[FIELD[measure]];
      const text = F.value(mv, t('suppressed'));
      return mv.denominator ? [count(row, measure, mv.numerator, `${text}`), ` (${mv.numerator}/${mv.denominator})`] : text;
    };
    api.setBody(
      'departments-table',
      table(
        [t('rank'), t('department'), t('issuesReceived'), ...MEASURES.slice(1).map((m) => i18n.label('Measure', m)), t('tieBand')],
        rows.map((r) => [
          r.rank === null ? '—' : String(r.rank),
          r.department ? r.department.name : t('unassigned'),
          count(r, 'ISSUES_RECEIVED', r.issues, String(r.issues)),
          rate(r, 'TRANSFER_RATE'),
          F.value(r.avgTransfers, t('suppressed')),
          rate(r, 'ON_TIME_RATE'),
          rate(r, 'FALSE_CLOSURE_RATE'),
          rate(r, 'CONTACTED_RATE'),
          r.tieBand === null ? '—' : String(r.tieBand),
        ]),
        (i) => ({ class: rows[i].tieBand === null ? null : `band-${rows[i].tieBand % 2 ? 'odd' : 'even'}`, dataset: { department: rows[i].department ? rows[i].department.id : '' } }),
      ),
    );
  }

  function csvRows(answer) {
    const cols = (mv) => [mv.value, mv.numerator, mv.denominator, mv.low, mv.high];
    const head = (name) => [name, `${name} numerator`, `${name} denominator`, `${name} low`, `${name} high`];
    return [
      ['rank', 'tie_band', 'ranked_by', 'department_id', 'department', 'issues', ...['transfer_rate', 'avg_transfers', 'on_time_rate', 'false_closure_rate', 'contacted_rate'].flatMap(head)],
      ...answer.dashboard.departments.map((r) => [
        r.rank, r.tieBand, r.rankedBy, r.department ? r.department.id : '', r.department ? r.department.name : '', r.issues,
        ...cols(r.transferRate), ...cols(r.avgTransfers), ...cols(r.onTimeRate), ...cols(r.falseClosureRate), ...cols(r.contactedRate),
      ]),
    ];
  }

  (window.MQ_PANELS = window.MQ_PANELS || []).push({ name: 'departments', group: 'issues', render, csvRows, drillInput });
})();
