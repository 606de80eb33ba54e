'use strict';
// The satisfaction dashboard: state lives in the URL; four GraphQL requests (one per panel group).
(function () {
  const { el, table } = window.MQ_DOM;
  const i18n = window.MQ_I18N;
  const Q = window.MQ_QUERIES;
  const CSV = window.MQ_CSV;
  const F = window.MQ_FORMAT;
  // Panels kept in their own files (departments.js): { name, group, render(answer, api), csvRows(answer, api) }.
  const EXTRA_PANELS = window.MQ_PANELS || [];
  const t = (k) => i18n.t(k);
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const csrf = meta('mq-csrf');
  const homeRegion = meta('mq-region') || null; // an OFFICER's subtree root
  const homeLevel = meta('mq-region-level') || null;
  const CHILD_LEVEL = Q.CHILD_LEVEL;
  /** A tile's display unit from the catalogue (labels.js MeasureInfo): rates as percent, the mean score with two decimals. */
  const kpiUnit = (measure) => {
    const unit = F.info(measure).unit;
    return unit === 'RATE' ? 'rate' : measure === 'SATISFACTION_AVG' ? 'avg' : unit === 'SCORE' ? 'score' : 'count';
  };
  /**
   * Whether a change is good news, by the measure's `better`: HIGHER → rising is better, LOWER
   * (backlog, repeat appeals, …) → falling is better, NONE (sizes such as RESPONSES) → neither.
   */
  function changeVerdict(measure, change) {
    if (change === null || change === undefined || change === 0) return 'same';
    const better = F.info(measure).better;
    if (better === 'NONE') return 'neutral';
    return (better === 'LOWER' ? -change : change) > 0 ? 'better' : 'worse';
  }

  // ----- state <-> URL -------------------------------------------------------------------------
  const DATE_RE = Q.DATE_RE;
  const home = { region: homeRegion, level: homeLevel };
  const readState = () => Q.readState(window.location.search, home, new Date());
  function writeState(s, push) {
    const p = new URLSearchParams();
    if (s.region && s.region !== homeRegion) p.set('region', s.region);
    if (s.level && s.region !== homeRegion) p.set('level', s.level);
    p.set('from', s.from);
    p.set('to', s.to);
    if (s.categories.length) p.set('category', s.categories.join(','));
    if (s.channels.length) p.set('channel', s.channels.join(','));
    if (s.measure && s.measure !== 'SATISFIED_RATE') p.set('measure', s.measure);
    if (s.rankBy && s.rankBy !== 'TRANSFER_RATE') p.set('rankBy', s.rankBy);
    if (i18n.lang !== 'zh') p.set('lang', i18n.lang);
    // An open drill-through list (drill.js) stays in the URL until the view itself changes.
    const drill = new URLSearchParams(window.location.search).get('drill');
    if (drill && !push) p.set('drill', drill);
    const url = `${window.location.pathname}?${p}`;
    if (push) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }

  // ----- formatting ----------------------------------------------------------------------------
  const fmtRate = (v) => `${(v * 100).toFixed(1)}%`;
  /** A metric value as shown: suppressed cells say so (never 0), missing values a dash. */
  function fmt(mv, unit) {
    if (!mv) return '—';
    if (mv.suppressed) return t('suppressed');
    if (mv.value === null || mv.value === undefined) return '—';
    return fmtNum(mv.value, unit);
  }
  function fmtNum(v, unit) {
    if (v === null || v === undefined) return '—';
    if (unit === 'rate') return fmtRate(v);
    if (unit === 'avg') return v.toFixed(2);
    if (unit === 'score') return v.toFixed(1);
    return String(Math.round(v * 100) / 100);
  }
  function fmtChange(change, unit) {
    if (change === null || change === undefined) return '—';
    const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
    const a = Math.abs(change);
    if (unit === 'rate') return `${sign}${(a * 100).toFixed(1)} ${i18n.lang === 'en' ? 'pp' : '个百分点'}`;
    return `${sign}${fmtNum(a, unit)}`;
  }
  const interval = (mv) => (mv && !mv.suppressed && mv.low !== null && mv.low !== undefined ? `${fmtRate(mv.low)}–${fmtRate(mv.high)}` : '');
  const regionName = (r) => (r ? r.name : t('aboveLevel'));

  // ----- DOM helpers ---------------------------------------------------------------------------
  const box = (id) => document.getElementById(id);
  function setBody(id, node) {
    const b = box(id);
    b.replaceChildren(node);
  }
  function panelState(name, state, message) {
    const p = document.querySelector(`[data-panel="${name}"]`);
    p.dataset.state = state;
    let m = p.querySelector('.status');
    if (!m) {
      m = el('p', { class: 'status' });
      p.querySelector('.body').prepend(m);
    }
    m.textContent = state === 'loading' ? t('loading') : state === 'error' ? `${t('failed')}: ${message}` : '';
    m.hidden = state === 'ready';
  }

  // ----- data ----------------------------------------------------------------------------------
  async function gql(query, variables) {
    return answerOf(await Q.post({ query, variables }, csrf));
  }
  function answerOf({ status, json }) {
    if (status === 401) {
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
      throw new Error('signed out');
    }
    if (json.errors && json.errors.length) throw new Error(json.errors.map((e) => e.message).join('; '));
    return json.data;
  }
  /** The first load's requests were sent by dashboard-prefetch.js before the charts library loaded. */
  function request(group, body) {
    const pre = window.MQ_PREFETCH;
    if (pre && pre[group] && pre[group].key === JSON.stringify(body)) {
      const p = pre[group].answer;
      delete pre[group];
      return p.then(answerOf);
    }
    return gql(body.query, body.variables);
  }

  let state = readState();
  let data = {}; // the last answer of each group, re-rendered on a language switch
  let generation = 0;
  const charts = {};

  // The charts library loads async: tables and tiles render as soon as their data arrive, charts
  // once the library has run (the page counts as ready only after both).
  const chartsLoaded = new Promise((resolve) => {
    if (window.echarts) return resolve();
    const script = document.getElementById('echarts-js');
    script.addEventListener('load', resolve);
    script.addEventListener('error', () => {
      console.error('the charts library failed to load');
      resolve();
    });
  });
  /** Draws into chart `id` when the library is there. */
  function chart(id, draw) {
    chartsLoaded.then(() => {
      if (!window.echarts) return;
      if (!charts[id]) charts[id] = window.echarts.init(box(id), null, { renderer: 'canvas' });
      draw(charts[id]);
    });
  }

  /** Loads every panel group in parallel; each renders as soon as its answer arrives. */
  async function load() {
    const gen = ++generation;
    const started = performance.now();
    document.body.dataset.ready = 'false';
    const reqs = Q.requestsFor(state);
    const groups = [
      ['overview', ['overview', 'trend'], () => request('overview', reqs.overview)],
      ['regions', ['ranking', 'festival', 'falseClosure'], async () => {
        // A shared link may name a region without its level: ask the region first.
        if (!reqs.regions) {
          const r = await gql('query($id: ID!) { region(id: $id) { level } }', { id: state.region });
          const lv = r.region ? CHILD_LEVEL[r.region.level] : 'TOWNSHIP';
          if (!lv) return { level: null, dashboard: { ranking: [], festivalVisiting: [], falseClosures: [] } };
          state = Object.assign({}, state, { level: lv });
          return Object.assign({ level: lv }, await request('regions', Q.requestsFor(state).regions));
        }
        return Object.assign({ level: reqs.regions.variables.level }, await request('regions', reqs.regions));
      }],
      ['issues', ['categories', 'backlog'], () => request('issues', reqs.issues)],
      ['cadres', ['scorecards'], () => request('cadres', reqs.cadres)],
    ];
    const groupMs = {};
    for (const g of groups) g[1] = g[1].concat(EXTRA_PANELS.filter((x) => x.group === g[0]).map((x) => x.name));
    // A panel in its own file may have a request of its own (dashboard-queries.js requestsFor[group]).
    for (const x of EXTRA_PANELS) {
      if (groups.some((g) => g[0] === x.group) || !reqs[x.group]) continue;
      groups.push([x.group, [x.name], () => request(x.group, reqs[x.group])]);
    }
    await Promise.all(
      groups.map(async ([group, panels, fetcher]) => {
        panels.forEach((p) => panelState(p, 'loading'));
        try {
          const answer = await fetcher();
          groupMs[group] = Math.round(performance.now() - started);
          if (gen !== generation) return;
          data[group] = answer;
          if (RENDER[group]) RENDER[group]();
          renderExtra(group);
          panels.forEach((p) => panelState(p, 'ready'));
        } catch (err) {
          if (gen !== generation) return;
          data[group] = null;
          console.error(`dashboard ${group}:`, err.message);
          panels.forEach((p) => panelState(p, 'error', err.message));
        }
      }),
    );
    await chartsLoaded;
    if (gen !== generation) return;
    // Read by the browser tests: data time of this load, and time since navigation on a first load.
    window.MQ_TIMING = { allPanelsMs: performance.now() - started, sinceNavigationMs: performance.now(), groupMs };
    document.body.dataset.ready = 'true';
  }

  function navigate(patch) {
    state = Object.assign({}, state, patch);
    writeState(state, true);
    syncFilters();
    load();
  }

  // ----- panels --------------------------------------------------------------------------------
  const RENDER = {
    overview() {
      const d = data.overview;
      const county = d.county && d.county.edges[0] ? Object.assign({ ancestors: [] }, d.county.edges[0].node) : null;
      renderBreadcrumb(d.region || county);
      const f = d.dashboard.filter;
      box('period-note').textContent = `${f.from} – ${f.to} · ${t('previous')} ${f.previousFrom} – ${f.previousTo}`;
      setBody(
        'kpi-tiles',
        el('div', { class: 'tiles-grid' }, d.dashboard.overview.map((k) => {
          const unit = kpiUnit(k.measure);
          // The arrow says which way the value moved; green is better, red worse, by the measure's `better`.
          const verdict = changeVerdict(k.measure, k.change);
          const arrow = k.change > 0 ? '▲' : k.change < 0 ? '▼' : '';
          const better = F.info(k.measure).better;
          return el(
            'div',
            { class: `tile${k.value.suppressed ? ' suppressed' : ''}`, dataset: { measure: k.measure, better } },
            el('div', { class: 'tile-label' }, i18n.label('Measure', k.measure)),
            el('div', { class: 'tile-value' }, fmt(k.value, unit)),
            el(
              'div',
              { class: `tile-change ${verdict}`, title: t(`better${better}`), dataset: { verdict } },
              arrow ? el('span', { class: 'arrow' }, arrow) : null,
              `${t('change')} ${fmtChange(k.change, unit)}`,
            ),
            el('div', { class: 'tile-previous' }, `${t('previous')} ${fmt(k.previous, unit)}`),
          );
        })),
      );
      const trend = d.dashboard.trend;
      const val = (p, i) => (p.values[i] && !p.values[i].suppressed && p.values[i].value !== null ? p.values[i].value : null);
      chart('trend-chart', (c) => {
        c.setOption(
        {
          animation: false,
          tooltip: { trigger: 'axis' },
          legend: { top: 0, data: [i18n.label('Measure', 'SATISFIED_RATE'), i18n.label('Measure', 'SATISFACTION_AVG')] },
          grid: { left: 50, right: 50, top: 40, bottom: 30 },
          xAxis: { type: 'category', data: trend.map((p) => p.period) },
          yAxis: [
            { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
            { type: 'value', min: 1, max: 5 },
          ],
          series: [
            { name: i18n.label('Measure', 'SATISFIED_RATE'), type: 'line', connectNulls: false, data: trend.map((p) => val(p, 0)) },
            { name: i18n.label('Measure', 'SATISFACTION_AVG'), type: 'line', yAxisIndex: 1, connectNulls: false, data: trend.map((p) => val(p, 1)) },
          ],
        },
        true,
        );
        // A point opens its records (drill.js).
        c.off('click');
        c.on('click', (p) => document.dispatchEvent(new CustomEvent('mq:trend-click', { detail: { index: p.dataIndex, series: p.seriesIndex } })));
      });
    },
    regions() {
      const d = data.regions;
      const ranking = d.dashboard.ranking;
      const drillLevel = (r) => (r ? CHILD_LEVEL[r.level] : null);
      const drill = (r) => {
        if (r && drillLevel(r)) navigate({ region: r.id, level: drillLevel(r) });
      };
      const regionCell = (r) => (r && drillLevel(r) ? el('a', { href: '#', class: 'drill', dataset: { region: r.id }, onclick: (ev) => (ev.preventDefault(), drill(r)) }, r.name) : regionName(r));
      // Ranked by any measure that groups by region, best first by its direction (measure-format.js).
      const measure = (ranking[0] && ranking[0].value.measure) || state.measure || 'SATISFIED_RATE';
      const isRate = F.info(measure).unit === 'RATE';
      const shown = (mv) => F.value(mv, t('suppressed'));
      const byValue = ranking.slice().reverse(); // ECharts draws bar categories bottom-up
      chart('ranking-chart', (c) => {
        c.setOption(
          {
            animation: false,
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            grid: { left: 110, right: 60, top: 10, bottom: 20 },
            xAxis: isRate ? { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } } : { type: 'value', min: 0 },
            yAxis: { type: 'category', data: byValue.map((e) => regionName(e.region)) },
            series: [{
              type: 'bar',
              // A suppressed cell has no bar and says so; it is never drawn as zero.
              data: byValue.map((e) => (e.value.value === null ? { value: 0, itemStyle: { color: 'transparent' } } : e.value.value)),
              label: {
                show: true,
                position: 'right',
                formatter: (p) => {
                  const e = byValue[p.dataIndex];
                  return e.value.value === null ? `${e.value.suppressed ? t('suppressed') : t('noData')} (n=${e.count})` : `${F.number(e.value.value, measure)} (n=${e.count})`;
                },
              },
            }],
          },
          true,
        );
        c.off('click');
        c.on('click', (p) => drill(byValue[p.dataIndex] && byValue[p.dataIndex].region));
        box('ranking-chart').style.height = `${Math.max(160, ranking.length * 26 + 40)}px`;
        c.resize();
      });
      setBody(
        'ranking-table',
        table(
          [t('rank'), i18n.label('RegionLevel', d.level), i18n.label('Measure', measure), '95% CI', t('count'), t('tieBand'), t('rankBefore'), t('rankChange')],
          ranking.map((e) => [
            e.rank === null ? '—' : String(e.rank), regionCell(e.region), shown(e.value), F.interval(e.value), String(e.count), String(e.tieBand),
            e.previous ? `${e.previous.rank} (${shown(e.previous.value)})` : '—',
            el('span', { class: `rank-change${e.rankChange > 0 ? ' up' : e.rankChange < 0 ? ' down' : ''}` }, F.rankChange(e.rankChange)),
          ]),
          (i) => ({ class: `band-${ranking[i].tieBand % 2 ? 'odd' : 'even'}${ranking[i].value.suppressed ? ' suppressed' : ''}`, dataset: { region: ranking[i].region ? ranking[i].region.id : '' } }),
        ),
      );
      const festival = d.dashboard.festivalVisiting;
      setBody(
        'festival-table',
        table(
          [i18n.label('RegionLevel', d.level), t('visits'), t('holidayVisits'), t('holidayShare'), '95% CI', t('flagged')],
          festival.map((r) => [regionCell(r.region), String(r.visits), String(r.holidayVisits), fmt(r.share, 'rate'), interval(r.share), r.flagged ? el('span', { class: 'flag' }, t('festivalFlag')) : '']),
          (i) => ({ class: festival[i].flagged ? 'flagged' : null }),
        ),
      );
      const fc = d.dashboard.falseClosures;
      setBody(
        'falseClosure-table',
        table(
          [i18n.label('RegionLevel', d.level), t('answered'), t('denied'), t('denialRate'), '95% CI', t('closureRate'), t('resolutionRate'), t('gap')],
          fc.map((r) => [regionCell(r.region), String(r.unitResolvedAnswered), String(r.denied), fmt(r.rate, 'rate'), interval(r.rate), fmt(r.closure, 'rate'), fmt(r.resolution, 'rate'), fmtChange(r.gap, 'rate')]),
        ),
      );
    },
    issues() {
      const d = data.issues.dashboard;
      setBody(
        'categories-table',
        table(
          [t('category'), t('received'), t('closureRate'), t('resolutionRate'), t('issueSatisfiedRate'), t('falseClosureRate')],
          d.categories.map((c) => [i18n.label('IssueCategory', c.category), String(c.received), fmt(c.closure, 'rate'), fmt(c.resolution, 'rate'), fmt(c.satisfied, 'rate'), fmt(c.falseClosure, 'rate')]),
        ),
      );
      const buckets = d.backlogAgeing;
      chart('backlog-chart', (c) => c.setOption(
        {
          animation: false,
          tooltip: { trigger: 'axis' },
          grid: { left: 50, right: 20, top: 20, bottom: 30 },
          xAxis: { type: 'category', data: buckets.map(ageLabel) },
          yAxis: { type: 'value', minInterval: 1 },
          series: [{ type: 'bar', data: buckets.map((b) => b.count), label: { show: true, position: 'top' } }],
        },
        true,
      ));
      setBody(
        'backlog-table',
        table(
          [t('ageBucket'), t('openIssues'), t('topDepartments')],
          buckets.map((b) => [ageLabel(b), String(b.count), b.departments.slice(0, 3).map((x) => `${x.department ? x.department.name : '—'} ${x.count}`).join('，')]),
        ),
      );
    },
    cadres() {
      const conn = data.cadres.cadreScorecards;
      const quota = (have, need, met, unit) => el('span', { class: met ? 'met' : 'missed' }, `${fmtNum(have, unit)} / ${need} ${met ? '✓' : '✗'}`);
      box('scorecard-note').textContent = `${t('year')} ${state.to.slice(0, 4)} · ${conn.edges.length} / ${conn.totalCount}`;
      setBody(
        'scorecards-table',
        table(
          [t('rank'), t('cadre'), t('cadreRank'), t('region'), t('stayDays'), t('pairings'), t('coverage'), t('visits'), t('holidayShare'), t('satisfaction'), t('composite'), t('veto')],
          conn.edges.map(({ node: s }) => [
            s.rank === null ? '—' : String(s.rank),
            s.cadre.name,
            i18n.label('CadreRank', s.cadre.rank),
            s.cadre.region ? s.cadre.region.name : '',
            quota(s.stayDays, s.stayQuota, s.stayMet, 'count'),
            quota(s.activePairings, s.pairingQuota, s.pairingsMet, 'count'),
            fmt(s.pairedCoverage, 'rate'),
            String(s.visits),
            fmt(s.holidayVisitShare, 'rate'),
            fmt(s.satisfaction, 'rate'),
            s.composite.toFixed(1),
            s.vetoed ? el('span', { class: 'veto', title: s.vetoReason || '' }, t('vetoed')) : '',
          ]),
          (i) => ({ class: conn.edges[i].node.vetoed ? 'vetoed' : null }),
        ),
      );
      if (conn.pageInfo.hasNextPage) {
        // The next 20 by composite, appended (the CSV then holds every row shown).
        const more = el('button', { type: 'button', class: 'more', id: 'scorecards-more' }, t('more'));
        more.addEventListener('click', async () => {
          more.disabled = true;
          const gen = generation;
          try {
            const vars = Object.assign({}, Q.requestsFor(state).cadres.variables, { after: conn.pageInfo.endCursor });
            const next = (await gql(Q.CADRES, vars)).cadreScorecards;
            if (gen !== generation) return;
            conn.edges = conn.edges.concat(next.edges);
            conn.pageInfo = next.pageInfo;
            RENDER.cadres();
          } catch (err) {
            console.error('dashboard cadres:', err.message);
            panelState('scorecards', 'error', err.message);
          }
        });
        box('scorecards-table').append(more);
      }
    },
  };

  /** What a panel in its own file may use of the page. */
  const PANEL_API = { el, table, setBody, t, i18n, fmt, interval, navigate: (patch) => navigate(patch), state: () => state, gql, generation: () => generation, panelState };
  function renderExtra(group) {
    for (const x of EXTRA_PANELS) if (x.group === group && data[group]) x.render(data[group], PANEL_API);
  }
  // Drill-through (drill.js) reads the page's state and answers, and hears when a panel group is drawn.
  for (const g of Object.keys(RENDER)) {
    const draw = RENDER[g];
    RENDER[g] = () => (draw(), document.dispatchEvent(new CustomEvent('mq:rendered', { detail: g })));
  }
  window.MQ_DASHBOARD = { state: () => state, data: () => data };

  /** The band's name from its bounds, in the page's language (the API's label is Chinese only). */
  function ageLabel(b) {
    const unit = i18n.lang === 'en' ? ' d' : '天';
    if (b.maxDays === null || b.maxDays === undefined) return `>${b.minDays}${unit}`;
    return `${b.minDays}–${b.maxDays}${unit}`;
  }

  function renderBreadcrumb(region) {
    const nav = box('breadcrumb');
    const crumbs = [];
    if (region) {
      // An OFFICER cannot go above its own region.
      let ancestors = region.ancestors || [];
      const home = homeRegion ? ancestors.findIndex((a) => a.id === homeRegion) : 0;
      if (homeRegion) ancestors = home >= 0 ? ancestors.slice(home) : [];
      for (const a of ancestors) {
        crumbs.push(el('a', { href: '#', class: 'crumb', onclick: (ev) => (ev.preventDefault(), navigate({ region: a.id, level: CHILD_LEVEL[a.level] })) }, a.name));
        crumbs.push(el('span', { class: 'sep' }, ' › '));
      }
      crumbs.push(el('strong', { class: 'crumb current', dataset: { region: region.id } }, region.name));
    } else {
      crumbs.push(el('strong', { class: 'crumb current' }, t('countyWide')));
    }
    nav.replaceChildren(...crumbs);
  }

  // ----- CSV -----------------------------------------------------------------------------------
  const mvCols = (mv) => [mv.suppressed ? '' : mv.value, mv.suppressed ? '' : mv.numerator, mv.suppressed ? '' : mv.denominator, mv.suppressed ? '' : mv.low, mv.suppressed ? '' : mv.high, mv.suppressed];
  const mvHead = (name) => [name, `${name} numerator`, `${name} denominator`, `${name} low`, `${name} high`, `${name} suppressed`];
  const CSV_ROWS = {
    overview: () => [
      ['measure', 'label', ...mvHead('value'), ...mvHead('previous'), 'change'],
      ...data.overview.dashboard.overview.map((k) => [k.measure, i18n.label('Measure', k.measure), ...mvCols(k.value), ...mvCols(k.previous), k.change]),
    ],
    trend: () => [
      ['period', ...['SATISFIED_RATE', 'SATISFACTION_AVG', 'RESPONSES'].flatMap(mvHead)],
      ...data.overview.dashboard.trend.map((p) => [p.period, ...p.values.flatMap(mvCols)]),
    ],
    ranking: () => [
      ['rank', 'region_id', 'region', 'count', 'tie_band', ...mvHead((data.regions.dashboard.ranking[0] ? data.regions.dashboard.ranking[0].value.measure : state.measure).toLowerCase()), 'previous_rank', 'previous_value', 'rank_change'],
      ...data.regions.dashboard.ranking.map((e) => [e.rank, e.region ? e.region.id : '', regionName(e.region), e.count, e.tieBand, ...mvCols(e.value), e.previous ? e.previous.rank : '', e.previous && !e.previous.value.suppressed ? e.previous.value.value : '', e.rankChange]),
    ],
    festival: () => [
      ['region_id', 'region', 'visits', 'holiday_visits', 'flagged', ...mvHead('share')],
      ...data.regions.dashboard.festivalVisiting.map((r) => [r.region ? r.region.id : '', regionName(r.region), r.visits, r.holidayVisits, r.flagged, ...mvCols(r.share)]),
    ],
    falseClosure: () => [
      ['region_id', 'region', 'unit_resolved_answered', 'denied', ...mvHead('false_closure_rate'), ...mvHead('closure_rate'), ...mvHead('resolution_rate'), 'closure_minus_resolution'],
      ...data.regions.dashboard.falseClosures.map((r) => [r.region ? r.region.id : '', regionName(r.region), r.unitResolvedAnswered, r.denied, ...mvCols(r.rate), ...mvCols(r.closure), ...mvCols(r.resolution), r.gap]),
    ],
    categories: () => [
      ['category', 'label', 'received', ...mvHead('closure_rate'), ...mvHead('resolution_rate'), ...mvHead('issue_satisfied_rate'), ...mvHead('false_closure_rate')],
      ...data.issues.dashboard.categories.map((c) => [c.category, i18n.label('IssueCategory', c.category), c.received, ...mvCols(c.closure), ...mvCols(c.resolution), ...mvCols(c.satisfied), ...mvCols(c.falseClosure)]),
    ],
    backlog: () => [
      ['age', 'min_days', 'max_days', 'open_issues', 'departments'],
      ...data.issues.dashboard.backlogAgeing.map((b) => [ageLabel(b), b.minDays, b.maxDays, b.count, b.departments.map((x) => `${x.department ? x.department.name : ''}:${x.count}`).join('; ')]),
    ],
    scorecards: () => [
      ['rank', 'tie_band', 'cadre_id', 'cadre', 'cadre_rank', 'region', 'year', 'stay_days', 'stay_quota', 'stay_met', 'active_pairings', 'pairing_quota', 'pairings_met', ...mvHead('paired_coverage'), 'visits', ...mvHead('holiday_visit_share'), ...mvHead('satisfied_rate'), ...mvHead('satisfaction_avg'), 'composite', 'vetoed', 'veto_reason'],
      ...data.cadres.cadreScorecards.edges.map(({ node: s }) => [s.rank, s.tieBand, s.cadre.id, s.cadre.name, s.cadre.rank, s.cadre.region ? s.cadre.region.name : '', s.year, s.stayDays, s.stayQuota, s.stayMet, s.activePairings, s.pairingQuota, s.pairingsMet, ...mvCols(s.pairedCoverage), s.visits, ...mvCols(s.holidayVisitShare), ...mvCols(s.satisfaction), ...mvCols(s.satisfactionAvg), s.composite, s.vetoed, s.vetoReason]),
    ],
  };
  const GROUP_OF = { overview: 'overview', trend: 'overview', ranking: 'regions', festival: 'regions', falseClosure: 'regions', categories: 'issues', backlog: 'issues', scorecards: 'cadres' };
  for (const x of EXTRA_PANELS) {
    GROUP_OF[x.name] = x.group;
    CSV_ROWS[x.name] = () => x.csvRows(data[x.group], PANEL_API);
  }

  // ----- wiring --------------------------------------------------------------------------------
  function fillSelect(select, enumName, chosen) {
    const values = (window.MQ_LABELS[enumName] || { values: [] }).values;
    select.replaceChildren(el('option', { value: '' }, t('all')), ...values.map((v) => el('option', { value: v, selected: chosen.includes(v) }, i18n.label(enumName, v))));
  }
  function syncFilters() {
    box('f-from').value = state.from;
    box('f-to').value = state.to;
    const rankingMeasure = box('ranking-measure');
    if (rankingMeasure) rankingMeasure.replaceChildren(...F.regionalMeasures().map((m) => el('option', { value: m, selected: m === state.measure }, i18n.label('Measure', m))));
    // The monthly report (月度通报) of the month `to` falls in, at the ranking's level and measure.
    const report = box('report-link');
    const level = Q.rankingLevel(state);
    if (report) report.href = `/dashboard/report?${new URLSearchParams({ month: state.to.slice(0, 7), level: level || 'TOWNSHIP', measure: state.measure === 'SATISFIED_RATE' ? 'THREE_RATE_SCORE' : state.measure, ...(state.region ? { regionId: state.region } : {}) })}`;
    fillSelect(box('f-category'), 'IssueCategory', state.categories);
    fillSelect(box('f-channel'), 'IssueChannel', state.channels);
  }
  function renderAll() {
    i18n.apply(document);
    syncFilters();
    for (const g of Object.keys(data)) if (data[g]) (RENDER[g] && RENDER[g](), renderExtra(g));
  }

  box('who').textContent = `${meta('mq-user')} (${meta('mq-role')})`;
  box('filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const from = box('f-from').value;
    const to = box('f-to').value;
    if (!DATE_RE.test(from) || !DATE_RE.test(to) || to < from) return;
    const one = (v) => (v ? [v] : []);
    navigate({ from, to, categories: one(box('f-category').value), channels: one(box('f-channel').value) });
  });
  const rankingMeasure = box('ranking-measure');
  if (rankingMeasure) rankingMeasure.addEventListener('change', () => navigate({ measure: rankingMeasure.value }));
  box('lang-toggle').addEventListener('click', () => {
    i18n.setLang(i18n.lang === 'zh' ? 'en' : 'zh');
    writeState(state, false);
    renderAll();
  });
  box('sign-out').addEventListener('click', async () => {
    await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf } });
    window.location.assign('/login');
  });
  document.querySelectorAll('button.csv').forEach((b) =>
    b.addEventListener('click', () => {
      const panel = b.dataset.csv;
      if (!data[GROUP_OF[panel]]) return;
      CSV.download(`dashboard-${panel}`, `minqing-${panel}-${state.from}-${state.to}.csv`, CSV_ROWS[panel](), csrf).catch((err) => console.error(err));
    }),
  );
  window.addEventListener('popstate', () => {
    // Opening or closing a drill-through list changes only its own parameter: the view stays.
    if (JSON.stringify(readState()) === JSON.stringify(state)) return;
    state = readState();
    syncFilters();
    load();
  });
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

  i18n.apply(document);
  syncFilters();
  writeState(state, false);
  load();
})();
