'use strict';
// Drill-through (action.md "The records behind a number"): every number the dashboard shows opens
// the list of records it counts. A number becomes a `drill(input:)` — a metrics cell (measure,
// range, zone, asOf, region, filters, cadre) and which of its counts — that the server turns into
// the list (analytics/records/drills.ts, one table), so the list's total is the number clicked.
// The open list lives in the URL (`drill=`), so a link can be sent and the back button closes it.
(function () {
  const { el } = window.MQ_DOM;
  const i18n = window.MQ_I18N;
  const Q = window.MQ_QUERIES;
  const t = (k) => i18n.t(k);
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const csrf = meta('mq-csrf');

  i18n.extend({
    drillTitle: ['明细', 'Records'],
    drillTotal: ['合计', 'Total'],
    drillNumerator: ['分子', 'numerator'],
    drillDenominator: ['分母', 'denominator'],
    drillShowNumerator: ['查看分子', 'Show numerator'],
    drillShowDenominator: ['查看分母', 'Show denominator'],
    drillClose: ['关闭', 'Close'],
    drillCsv: ['导出全部 (CSV)', 'Export all (CSV)'],
    drillMore: ['加载更多', 'Load more'],
    drillEmpty: ['没有记录', 'No records'],
    drillStayDays: ['驻村天数', 'stay days'],
    drillRecords: ['条记录', 'records'],
    drillHint: ['点击数字查看明细', 'Click a number to see its records'],
    drillYear: ['年度', 'year'],
    colReceived: ['受理时间', 'Received'],
    colCategory: ['类别', 'Category'],
    colChannel: ['渠道', 'Channel'],
    colStatus: ['状态', 'Status'],
    colAnswer: ['群众评价', 'Resident says'],
    colTransfers: ['转办', 'Transfers'],
    colDepartment: ['承办部门', 'Department'],
    colHousehold: ['住户', 'Household'],
    colRegion: ['区域', 'Region'],
    colVisited: ['走访时间', 'Visited'],
    colKind: ['方式', 'Kind'],
    colCadre: ['干部', 'Cadre'],
    colStay: ['驻村天数', 'Stay days'],
    colResponded: ['回访时间', 'Responded'],
    colScore: ['评分', 'Score'],
    colResolved: ['解决', 'Resolved'],
    colContacted: ['联系', 'Contacted'],
    colHead: ['户主', 'Head'],
    colMembers: ['人口', 'Members'],
    colTags: ['标签', 'Tags'],
    colStarted: ['结对开始', 'Started'],
    colEnded: ['结对结束', 'Ended'],
    colLastVisit: ['最近联系', 'Last contact'],
    yes: ['是', 'yes'],
    no: ['否', 'no'],
  });

  const REGION = 'region { id name }';
  const PAGE = 'totalCount pageInfo { hasNextPage endCursor }';
  const DRILL = `query Drill($input: DrillInput!, $first: Int, $after: String) {
  drill(input: $input) {
    measure part list total totalOf filter
    issues(first: $first, after: $after) { ${PAGE} edges { node { id receivedAt category channel status residentAnswer transferCount ${REGION} household { id headName } department { name } } } }
    visits(first: $first, after: $after) { ${PAGE} edges { node { id visitedAt kind stayDays ${REGION} cadre { id name } household { id headName } } } }
    surveyResponses(first: $first, after: $after) { ${PAGE} edges { node { id respondedAt channel score resolved contacted ${REGION} cadre { id name } household { id headName } } } }
    households(first: $first, after: $after) { ${PAGE} edges { node { id headName members tags ${REGION} } } }
    pairings(first: $first, after: $after) { ${PAGE} edges { node { id startedOn endedOn lastVisitAt cadre { id name } household { id headName } } } }
  }
}`;
  const CONNECTION = { ISSUES: 'issues', VISITS: 'visits', SURVEY_RESPONSES: 'surveyResponses', HOUSEHOLDS: 'households', PAIRINGS: 'pairings' };
  /** Measures that are counts (their records are the number either way) or have only a denominator to list. */
  const COUNTS = new Set(['RESPONSES', 'ISSUES_RECEIVED', 'BACKLOG', 'VISITS', 'HOUSEHOLDS_VISITED', 'VILLAGE_STAY_DAYS', 'THREE_RATE_SCORE']);
  const DENOMINATOR_ONLY = new Set(['SATISFACTION_AVG', 'AVG_TRANSFERS', 'MEDIAN_HOURS_TO_RESOLVE', 'P90_HOURS_TO_RESOLVE', 'MEDIAN_HOURS_TO_FIRST_RESPONSE']);
  const PAGE_SIZE = 50;

  // ----- DOM -----------------------------------------------------------------------------------
  // Instants in the zone the list's dates are read in (sv-SE writes YYYY-MM-DD HH:mm).
  let clock = null;
  const fmtTime = (iso) => (iso ? (clock ? clock.format(new Date(iso)) : iso.replace('T', ' ').slice(0, 16)) : '—');
  const clockOf = (zone) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const label = (e, v) => (v === null || v === undefined ? '—' : i18n.label(e, v));
  const yesNo = (v) => (v === null || v === undefined ? '—' : v ? t('yes') : t('no'));
  const langParam = () => (i18n.lang === 'en' ? '?lang=en' : '');
  const householdLink = (h) => (h ? el('a', { href: `/dashboard/household/${encodeURIComponent(h.id)}${langParam()}`, class: 'record-link', dataset: { household: h.id } }, h.headName) : '—');
  const cadreLink = (c) => (c ? el('a', { href: `/dashboard/cadre/${encodeURIComponent(c.id)}${langParam()}`, class: 'record-link', dataset: { cadre: c.id } }, c.name) : '—');

  /** Columns of each list: header key and cell of a node. */
  const COLUMNS = {
    ISSUES: [
      ['colReceived', (n) => fmtTime(n.receivedAt)],
      ['colHousehold', (n) => householdLink(n.household)],
      ['colRegion', (n) => n.region.name],
      ['colCategory', (n) => label('IssueCategory', n.category)],
      ['colChannel', (n) => label('IssueChannel', n.channel)],
      ['colStatus', (n) => label('IssueStatus', n.status)],
      ['colDepartment', (n) => (n.department ? n.department.name : '—')],
      ['colTransfers', (n) => String(n.transferCount)],
      ['colAnswer', (n) => label('ResidentAnswer', n.residentAnswer)],
    ],
    VISITS: [
      ['colVisited', (n) => fmtTime(n.visitedAt)],
      ['colKind', (n) => label('VisitKind', n.kind)],
      ['colCadre', (n) => cadreLink(n.cadre)],
      ['colHousehold', (n) => householdLink(n.household)],
      ['colRegion', (n) => n.region.name],
      ['colStay', (n) => (n.kind === 'VILLAGE_STAY' ? String(n.stayDays || 1) : '')],
    ],
    SURVEY_RESPONSES: [
      ['colResponded', (n) => fmtTime(n.respondedAt)],
      ['colScore', (n) => String(n.score)],
      ['colResolved', (n) => label('ResidentAnswer', n.resolved)],
      ['colContacted', (n) => yesNo(n.contacted)],
      ['colChannel', (n) => label('SurveyChannel', n.channel)],
      ['colCadre', (n) => cadreLink(n.cadre)],
      ['colHousehold', (n) => householdLink(n.household)],
      ['colRegion', (n) => n.region.name],
    ],
    HOUSEHOLDS: [
      ['colHead', (n) => householdLink(n)],
      ['colRegion', (n) => n.region.name],
      ['colMembers', (n) => (n.members === null ? '—' : String(n.members))],
      ['colTags', (n) => n.tags.map((x) => i18n.label('HouseholdTag', x)).join('、')],
    ],
    PAIRINGS: [
      ['colCadre', (n) => cadreLink(n.cadre)],
      ['colHousehold', (n) => householdLink(n.household)],
      ['colStarted', (n) => n.startedOn],
      ['colEnded', (n) => n.endedOn || '—'],
      ['colLastVisit', (n) => fmtTime(n.lastVisitAt)],
    ],
  };

  // ----- the panel -----------------------------------------------------------------------------
  const panel = el('aside', { id: 'drill-panel', class: 'drill-panel', hidden: true, 'aria-live': 'polite' });
  document.body.append(panel);
  let current = null; // { input, answer, rows, pageInfo }
  let openedHere = false; // opened by a click in this page (back closes it), not by a shared link
  let generation = 0;

  async function gql(query, variables) {
    const { status, json } = await Q.post({ query, variables }, csrf);
    if (status === 401) {
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
      throw new Error('signed out');
    }
    if (json.errors && json.errors.length) throw new Error(json.errors.map((e) => e.message).join('; '));
    return json.data;
  }

  /** Opens the records of `input` (a DrillInput); `push` adds a history entry (a click, not a link). */
  async function open(input, push) {
    if (push) {
      const p = new URLSearchParams(window.location.search);
      p.set('drill', JSON.stringify(input));
      window.history.pushState(null, '', `${window.location.pathname}?${p}`);
      openedHere = true;
    }
    const gen = ++generation;
    current = { input, answer: null, rows: [], pageInfo: null };
    panel.hidden = false;
    panel.dataset.state = 'loading';
    panel.replaceChildren(header(), el('p', { class: 'status' }, t('loading')));
    try {
      const d = (await gql(DRILL, { input, first: PAGE_SIZE })).drill;
      if (gen !== generation) return;
      const conn = d[CONNECTION[d.list]];
      const zone = JSON.parse(d.filter).timeZone;
      clock = zone ? clockOf(zone) : null;
      current = { input, answer: d, rows: conn.edges.map((e) => e.node), pageInfo: conn.pageInfo, totalCount: conn.totalCount };
      render();
      panel.dataset.state = 'ready';
    } catch (err) {
      if (gen !== generation) return;
      console.error('drill-through:', err.message);
      panel.dataset.state = 'error';
      panel.replaceChildren(header(), el('p', { class: 'status error' }, `${t('failed')}: ${err.message}`));
    }
  }

  async function more(button) {
    button.disabled = true;
    const gen = generation;
    try {
      const d = (await gql(DRILL, { input: current.input, first: PAGE_SIZE, after: current.pageInfo.endCursor })).drill;
      if (gen !== generation) return;
      const conn = d[CONNECTION[d.list]];
      current.rows = current.rows.concat(conn.edges.map((e) => e.node));
      current.pageInfo = conn.pageInfo;
      render();
    } catch (err) {
      console.error('drill-through:', err.message);
      button.disabled = false;
    }
  }

  function close() {
    if (panel.hidden) return;
    generation++;
    panel.hidden = true;
    current = null;
    if (!new URLSearchParams(window.location.search).has('drill')) return;
    if (openedHere) {
      openedHere = false;
      window.history.back();
    } else {
      const p = new URLSearchParams(window.location.search);
      p.delete('drill');
      window.history.replaceState(null, '', `${window.location.pathname}?${p}`);
    }
  }

  /** Names of what the number was narrowed to (region, cadre, category, band), from the dashboard's answers. */
  function context(input) {
    const data = (D() && D().data()) || {};
    const names = [];
    if (input.regionId) {
      const r = data.regions && data.regions.dashboard;
      const all = [...(r ? [...r.ranking, ...r.festivalVisiting, ...r.falseClosures] : []).map((x) => x.region), data.overview && data.overview.region].filter(Boolean);
      const found = all.find((x) => x.id === input.regionId);
      names.push(found ? found.name : input.regionId);
    }
    if (input.cadreIds) {
      const edges = data.cadres ? data.cadres.cadreScorecards.edges : [];
      names.push(...input.cadreIds.map((id) => (edges.find((e) => e.node.cadre.id === id) || { node: { cadre: { name: id } } }).node.cadre.name));
    }
    if (input.categories) names.push(input.categories.map((c) => i18n.label('IssueCategory', c)).join('、'));
    if (input.channels) names.push(input.channels.map((c) => i18n.label('IssueChannel', c)).join('、'));
    if (input.ageBand) names.push(input.ageBand.replace(/^D(\d+)_(\d*)$/, (_m, a, b) => (b ? `${a}–${b}` : `>${a}`) + (i18n.lang === 'en' ? ' d' : '天')));
    return names;
  }

  /** The title line: measure, part, range, and the close button. */
  function header() {
    const input = current ? current.input : {};
    const part = input.part === 'DENOMINATOR' ? t('drillDenominator') : COUNTS.has(input.measure) ? '' : t('drillNumerator');
    const range = input.year ? `${input.year} ${t('drillYear')}` : input.from ? `${input.from} – ${input.to}` : `≤ ${input.to}`;
    return el(
      'header',
      {},
      el('h2', {}, `${t('drillTitle')} · ${i18n.label('Measure', input.measure)}${part ? ` · ${part}` : ''}`),
      el('span', { class: 'note', id: 'drill-context' }, [range, ...context(input)].join(' · ')),
      el('button', { type: 'button', class: 'drill-close', id: 'drill-close', 'aria-label': t('drillClose'), onclick: close }, '×'),
    );
  }

  function render() {
    const { input, answer, rows, pageInfo, totalCount } = current;
    const cols = COLUMNS[answer.list];
    const unit = answer.totalOf === 'STAY_DAYS' ? t('drillStayDays') : t('drillRecords');
    const summary = el(
      'p',
      { class: 'drill-summary' },
      `${t('drillTotal')} `,
      el('strong', { id: 'drill-total', dataset: { total: String(answer.total) } }, String(answer.total)),
      ` ${unit}`,
      answer.totalOf === 'STAY_DAYS' ? ` (${totalCount} ${t('drillRecords')})` : '',
    );
    const actions = el('div', { class: 'drill-actions' });
    if (!COUNTS.has(input.measure) && !DENOMINATOR_ONLY.has(input.measure)) {
      const other = input.part === 'DENOMINATOR' ? 'NUMERATOR' : 'DENOMINATOR';
      actions.append(
        el('button', { type: 'button', id: 'drill-other', onclick: () => switchPart(other) }, t(other === 'DENOMINATOR' ? 'drillShowDenominator' : 'drillShowNumerator')),
      );
    }
    actions.append(el('a', { href: `/api/records/drill.csv?drill=${encodeURIComponent(JSON.stringify(input))}`, id: 'drill-csv', class: 'csv', download: '' }, t('drillCsv')));
    const body = rows.length
      ? el(
          'table',
          { class: 'data drill-rows' },
          el('thead', {}, el('tr', {}, cols.map(([k]) => el('th', {}, t(k))))),
          el('tbody', {}, rows.map((n) => el('tr', { dataset: { id: n.id } }, cols.map(([, cell]) => el('td', {}, cell(n)))))),
        )
      : el('p', { class: 'status' }, t('drillEmpty'));
    const tail = pageInfo && pageInfo.hasNextPage ? el('button', { type: 'button', class: 'more', id: 'drill-more', onclick: (ev) => more(ev.currentTarget) }, `${t('drillMore')} (${rows.length} / ${totalCount})`) : null;
    panel.replaceChildren(...[header(), summary, actions, el('div', { class: 'table-wrap' }, body), tail].filter(Boolean));
  }

  /** Numerator ↔ denominator of the same number: the URL entry is replaced, not added. */
  function switchPart(part) {
    const input = Object.assign({}, current.input, { part });
    const p = new URLSearchParams(window.location.search);
    p.set('drill', JSON.stringify(input));
    window.history.replaceState(null, '', `${window.location.pathname}?${p}`);
    open(input, false);
  }

  // ----- from a number on the dashboard to its DrillInput --------------------------------------
  const D = () => window.MQ_DASHBOARD;
  const answerAsOf = (group) => {
    const a = D().data()[group];
    return a && a.dashboard && a.dashboard.filter ? a.dashboard.filter.asOf : null;
  };
  /** The dashboard's filter as a metrics cell: range, region, issue filters, and the asOf its panels answered for. */
  function base(group) {
    const s = D().state();
    const out = { from: s.from, to: s.to };
    const asOf = answerAsOf(group);
    if (asOf) out.asOf = asOf;
    if (s.region) out.regionId = s.region;
    if (s.categories.length) out.categories = s.categories;
    if (s.channels.length) out.channels = s.channels;
    return out;
  }
  const rate = (measure, part) => ({ measure, part: part || 'NUMERATOR' });
  /** What each KPI tile opens. */
  const TILE = {
    SATISFACTION_AVG: rate('SATISFACTION_AVG', 'DENOMINATOR'),
  };

  /** Marks `node` as opening `input` (a click or Enter on it). */
  function drillable(node, input) {
    if (!node) return;
    node.classList.add('drillable');
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    node.dataset.drill = JSON.stringify(input);
    node.title = t('drillHint');
  }

  /** The index of the column whose header is the UI string `key` in table `box`. */
  function column(box, key) {
    const ths = Array.from(box.querySelectorAll('thead th'));
    return ths.findIndex((th) => th.textContent === t(key));
  }
  /** Each body row of the table in `id` with the cell of the header `key` (rows in data order). */
  function cells(id, key) {
    const box = document.getElementById(id);
    const k = box ? column(box, key) : -1;
    if (k < 0) return [];
    return Array.from(box.querySelectorAll('tbody tr')).map((tr) => tr.children[k]);
  }

  const DECORATE = {
    overview() {
      const b = base('overview');
      for (const tile of document.querySelectorAll('#kpi-tiles .tile[data-measure]')) {
        const m = tile.dataset.measure;
        const input = Object.assign({}, b, TILE[m] || (COUNTS.has(m) ? { measure: m } : rate(m)));
        if (m === 'BACKLOG') delete input.from;
        drillable(tile.querySelector('.tile-value'), input);
      }
    },
    regions() {
      const d = D().data().regions.dashboard;
      const b = base('regions');
      const at = (id, key, rows, make) => cells(id, key).forEach((td, i) => rows[i] && rows[i].region && drillable(td, Object.assign({}, b, { regionId: rows[i].region.id }, make(rows[i]))));
      at('ranking-table', 'satisfiedRate', d.ranking, () => rate('SATISFIED_RATE'));
      at('ranking-table', 'count', d.ranking, () => ({ measure: 'RESPONSES' }));
      at('festival-table', 'visits', d.festivalVisiting, () => ({ measure: 'VISITS' }));
      at('festival-table', 'holidayVisits', d.festivalVisiting, () => rate('HOLIDAY_VISIT_SHARE'));
      at('festival-table', 'holidayShare', d.festivalVisiting, () => rate('HOLIDAY_VISIT_SHARE'));
      at('festival-table', 'flagged', d.festivalVisiting.map((r) => (r.flagged ? r : null)), () => rate('HOLIDAY_VISIT_SHARE'));
      at('falseClosure-table', 'answered', d.falseClosures, () => rate('FALSE_CLOSURE_RATE', 'DENOMINATOR'));
      at('falseClosure-table', 'denied', d.falseClosures, () => rate('FALSE_CLOSURE_RATE'));
      at('falseClosure-table', 'denialRate', d.falseClosures, () => rate('FALSE_CLOSURE_RATE'));
      at('falseClosure-table', 'closureRate', d.falseClosures, () => rate('CLOSURE_RATE'));
      at('falseClosure-table', 'resolutionRate', d.falseClosures, () => rate('RESOLUTION_RATE'));
    },
    issues() {
      const d = D().data().issues.dashboard;
      const b = base('issues');
      const at = (key, make) => cells('categories-table', key).forEach((td, i) => d.categories[i] && drillable(td, Object.assign({}, b, { categories: [d.categories[i].category] }, make)));
      at('received', { measure: 'ISSUES_RECEIVED' });
      at('closureRate', rate('CLOSURE_RATE'));
      at('resolutionRate', rate('RESOLUTION_RATE'));
      at('issueSatisfiedRate', rate('ISSUE_SATISFIED_RATE'));
      at('falseClosureRate', rate('FALSE_CLOSURE_RATE'));
      const stock = Object.assign({}, b);
      delete stock.from;
      cells('backlog-table', 'openIssues').forEach((td, i) => d.backlogAgeing[i] && drillable(td, Object.assign({}, stock, { measure: 'BACKLOG', ageBand: d.backlogAgeing[i].key })));
    },
    cadres() {
      const edges = D().data().cadres.cadreScorecards.edges;
      const year = Number(D().state().to.slice(0, 4));
      const at = (key, make) => cells('scorecards-table', key).forEach((td, i) => edges[i] && drillable(td, Object.assign({ year, cadreIds: [edges[i].node.cadre.id] }, make)));
      at('stayDays', { measure: 'VILLAGE_STAY_DAYS' });
      at('pairings', rate('PAIRED_COVERAGE', 'DENOMINATOR'));
      at('coverage', rate('PAIRED_COVERAGE'));
      at('visits', { measure: 'VISITS' });
      at('holidayShare', rate('HOLIDAY_VISIT_SHARE'));
      at('satisfaction', rate('SATISFIED_RATE'));
      // The cadre's name opens the ledger (民情台账).
      cells('scorecards-table', 'cadre').forEach((td, i) => edges[i] && td.replaceChildren(cadreLink(edges[i].node.cadre)));
    },
  };

  /** A trend point: its bucket ∩ the range, SATISFIED_RATE's satisfied responses or the responses. */
  function trendInput(index, series) {
    const s = D().state();
    const trend = D().data().overview.dashboard.trend;
    const point = trend[index];
    if (!point) return null;
    const next = trend[index + 1];
    const from = point.period < s.from ? s.from : point.period;
    const to = next ? addDays(next.period, -1) : s.to;
    const input = Object.assign({}, base('overview'), { from, to: to > s.to ? s.to : to });
    delete input.categories; // the trend's measures are satisfaction: not filtered by issue category or channel
    delete input.channels;
    return Object.assign(input, series === 0 ? rate('SATISFIED_RATE') : { measure: 'RESPONSES' });
  }
  const addDays = (date, n) => new Date(Date.parse(date) + n * 86400000).toISOString().slice(0, 10);

  // ----- wiring --------------------------------------------------------------------------------
  document.addEventListener('mq:rendered', (ev) => {
    const decorate = DECORATE[ev.detail];
    if (decorate && D() && D().data()[ev.detail]) decorate();
  });
  document.addEventListener('mq:trend-click', (ev) => {
    const input = trendInput(ev.detail.index, ev.detail.series);
    if (input) open(input, true);
  });
  const activate = (ev) => {
    const target = ev.target.closest('[data-drill]');
    if (!target) return;
    if (ev.type === 'keydown' && ev.key !== 'Enter' && ev.key !== ' ') return;
    ev.preventDefault();
    open(JSON.parse(target.dataset.drill), true);
  };
  document.addEventListener('click', activate);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !panel.hidden) close();
    else activate(ev);
  });
  /** The URL is the state: a shared link opens its list, the back button closes it. */
  function fromUrl() {
    const raw = new URLSearchParams(window.location.search).get('drill');
    if (!raw) {
      generation++;
      panel.hidden = true;
      current = null;
      openedHere = false;
      return;
    }
    try {
      const input = JSON.parse(raw);
      if (!current || JSON.stringify(current.input) !== JSON.stringify(input)) open(input, false);
    } catch {
      console.warn('drill-through: the drill parameter is not JSON');
    }
  }
  window.addEventListener('popstate', fromUrl);
  // After dashboard.js has switched the language (its listener runs after this one).
  document.getElementById('lang-toggle').addEventListener('click', () => setTimeout(() => current && current.answer && render(), 0));
  window.MQ_DRILL = { open: (input) => open(input, true), close };
  fromUrl();
})();
