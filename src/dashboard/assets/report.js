'use strict';
// The monthly report (月度通报) as a printable A4 government notice: one GraphQL request
// (monthlyReport and its published versions), rendered Chinese first with an English switch.
// State lives in the URL: month, level, measure, regionId, version, lang.
(function () {
  const { el, table } = window.MQ_DOM;
  const i18n = window.MQ_I18N;
  const Q = window.MQ_QUERIES;
  const F = window.MQ_FORMAT;
  i18n.extend({
    reportTitle: ['月度通报', 'Monthly report'],
    backToDashboard: ['返回看板', 'Back to the dashboard'],
    reportMonth: ['月份', 'Month'],
    reportLevel: ['排名层级', 'Ranked level'],
    reportMeasure: ['排名指标', 'Ranked by'],
    publish: ['发布', 'Publish'],
    publishConfirm: ['以当前数据发布本月通报？发布后内容不再随迟到数据变化。', 'Publish this report as of now? A published report no longer changes when late data arrive.'],
    downloadXlsx: ['下载 Excel', 'Download Excel'],
    print: ['打印', 'Print'],
    live: ['实时数据（未发布）', 'Live (not published)'],
    version: ['第{n}版', 'Version {n}'],
    publishedBy: ['{who}于{when}发布', 'published by {who} on {when}'],
    unit: ['{area}群众诉求办理工作领导小组办公室', 'Office of the {area} Leading Group on Residents’ Appeals'],
    title: ['关于{month}群众诉求办理情况的通报', 'Notice on the handling of residents’ appeals, {month}'],
    addressees: ['各乡镇（街道），县直各有关单位：', 'To the townships and streets, and the county departments concerned:'],
    intro: [
      '现将{month}{area}群众诉求办理情况通报如下。本期按“{measure}”对{level}进行排名（{better}），数据截至{asOf}。',
      'This notice reports how residents’ appeals were handled in {area} in {month}. {level} are ranked by {measure} ({better}); the figures are as of {asOf}.',
    ],
    HIGHER: ['数值越高排名越前', 'higher ranks first'],
    LOWER: ['数值越低排名越前', 'lower ranks first'],
    NONE: ['按数量从多到少', 'by size, largest first'],
    s1: ['一、排名情况', '1. The ranking'],
    s2: ['二、排名后三位', '2. The bottom three'],
    s3: ['三、承办单位办理情况', '3. The handling departments'],
    s4: ['四、干部履职情况', '4. The cadres'],
    s5: ['五、逢年过节式走访', '5. Festival-only visiting'],
    s4a: ['（一）一票否决', '(a) Vetoed'],
    s4b: ['（二）驻村进度落后', '(b) Behind the village-stay pace'],
    bottomText: ['以下{level}{measure}排名后三位，予以通报：{names}。', 'These {level} rank last by {measure}: {names}.'],
    noBottom: ['本月无可排名的数据。', 'No region has a value this month.'],
    rank: ['名次', 'Rank'],
    tieBand: ['并列组', 'Tie band'],
    ci: ['95%区间', '95% interval'],
    compared: ['环比：{previous}；同比：{yearAgo}。括号内为当期数值。', 'Compared with {previous} (month on month) and {yearAgo} (year on year); values in brackets.'],
    previousRank: ['上月名次', 'Last month'],
    mom: ['环比', 'Change'],
    yearAgoRank: ['去年同月名次', 'A year ago'],
    yoy: ['同比', 'Change'],
    department: ['承办单位', 'Department'],
    unassigned: ['（未分派）', '(not assigned)'],
    issues: ['受理数', 'Issues'],
    cadre: ['干部', 'Cadre'],
    cadreRank: ['职级', 'Rank'],
    cadreRegion: ['所在区域', 'Region'],
    satisfaction: ['满意率', 'Satisfied rate'],
    stayDays: ['驻村天数', 'Stay days'],
    quota: ['年度任务', 'Yearly quota'],
    pace: ['按进度应驻', 'Due by now'],
    none: ['无。', 'None.'],
    cadresNote: ['统计{year}年1月1日至{to}。', 'The year {year} from 1 January to {to}.'],
    festivalNote: ['统计期{from}至{to}，节日走访占比达80%及以上的{level}：', 'From {from} to {to}, {level} with at least 80% of visits at festivals:'],
    visits: ['走访次数', 'Visits'],
    holidayVisits: ['节日走访', 'At festivals'],
    share: ['占比', 'Share'],
    suppressed: ['样本不足', 'suppressed'],
    failed: ['加载失败', 'Failed to load'],
  });
  const t = (k, vars) => i18n.t(k).replace(/\{(\w+)\}/g, (m, name) => (vars && name in vars ? vars[name] : m));
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const csrf = meta('mq-csrf');
  const role = meta('mq-role');
  const homeRegion = meta('mq-region') || null;
  const CHILD_LEVEL = Q.CHILD_LEVEL;
  const box = (id) => document.getElementById(id);

  const MV = 'fragment MV on MetricValue { measure value numerator denominator low high suppressed }';
  const REGION = 'id name level';
  const REPORT = `query MonthlyReport($month: String!, $level: RegionLevel!, $measure: Measure, $regionId: ID, $version: Int) {
  county: regions(level: COUNTY, first: 1) { edges { node { ${REGION} } } }
  monthlyReport(month: $month, level: $level, measure: $measure, regionId: $regionId, version: $version) {
    title month level measure better asOf timeZone previousMonth yearAgoMonth festivalFrom festivalTo scorecardYear cadresAsOf
    region { ${REGION} }
    rows { region { ${REGION} } rank tieBand value { ...MV } previous { rank value { ...MV } } yearAgo { rank value { ...MV } } rankChange yearAgoRankChange }
    bottom { region { ${REGION} } rank value { ...MV } }
    departments { department { id name } rank tieBand issues transferRate { ...MV } avgTransfers { ...MV } onTimeRate { ...MV } falseClosureRate { ...MV } contactedRate { ...MV } }
    vetoedCadres { cadre { id name rank region { name } } satisfaction { ...MV } vetoReason }
    behindPaceCadres { cadre { id name rank region { name } } stayDays stayQuota stayPace }
    festivalRegions { region { ${REGION} } visits holidayVisits share { ...MV } }
    published { id version publishedAt publishedBy { name } }
  }
  monthlyReports(month: $month, level: $level, measure: $measure, regionId: $regionId) { id version publishedAt publishedBy { name } region { id } }
}
${MV}`;
  const PUBLISH = `mutation Publish($month: String!, $level: RegionLevel!, $measure: Measure, $regionId: ID) {
  publishMonthlyReport(month: $month, level: $level, measure: $measure, regionId: $regionId) { version }
}`;

  // ----- state <-> URL -------------------------------------------------------------------------
  const pad = (n) => String(n).padStart(2, '0');
  function readState() {
    const p = new URLSearchParams(window.location.search);
    const now = new Date();
    const last = new Date(now.getFullYear(), now.getMonth() - 1, 1); // the last whole month
    const month = /^\d{4}-\d{2}$/.test(p.get('month') || '') ? p.get('month') : `${last.getFullYear()}-${pad(last.getMonth() + 1)}`;
    const homeLevel = meta('mq-region-level') || null;
    const version = /^\d+$/.test(p.get('version') || '') ? Number(p.get('version')) : null;
    return {
      month,
      level: p.get('level') || (homeLevel && CHILD_LEVEL[homeLevel]) || 'TOWNSHIP',
      measure: p.get('measure') || 'THREE_RATE_SCORE',
      regionId: p.get('regionId') || homeRegion,
      version,
    };
  }
  function urlOf(s, extra) {
    const p = new URLSearchParams();
    p.set('month', s.month);
    p.set('level', s.level);
    p.set('measure', s.measure);
    if (s.regionId && s.regionId !== homeRegion) p.set('regionId', s.regionId);
    if (s.version) p.set('version', String(s.version));
    if (i18n.lang !== 'zh') p.set('lang', i18n.lang);
    return `${extra || window.location.pathname}?${p}`;
  }
  function xlsxUrl(s) {
    const p = new URLSearchParams({ month: s.month, level: s.level, measure: s.measure });
    if (s.regionId) p.set('regionId', s.regionId);
    if (s.version) p.set('version', String(s.version));
    return `/api/reports/monthly.xlsx?${p}`;
  }

  // ----- formatting ----------------------------------------------------------------------------
  const zhDate = (iso, zone) => {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(iso));
    const get = (type) => parts.find((x) => x.type === type).value;
    return { y: Number(get('year')), m: Number(get('month')), d: Number(get('day')), hh: get('hour') === '24' ? '00' : get('hour'), mm: get('minute') };
  };
  const dateText = (iso, zone, withTime) => {
    const x = zhDate(iso, zone);
    if (i18n.lang === 'en') return `${x.y}-${pad(x.m)}-${pad(x.d)}${withTime ? ` ${x.hh}:${x.mm}` : ''}`;
    return `${x.y}年${x.m}月${x.d}日${withTime ? `${Number(x.hh)}时${x.mm === '00' ? '' : `${Number(x.mm)}分`}` : ''}`;
  };
  const monthText = (m) => (i18n.lang === 'en' ? new Date(`${m}-15T00:00:00Z`).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }) : `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`);
  const fmt = (mv) => F.value(mv, t('suppressed'));
  const levelName = (level) => i18n.label('RegionLevel', level);
  const measureName = (m) => i18n.label('Measure', m);

  const section = (key, ...content) => el('section', { class: 'notice-section', dataset: { section: key } }, el('h2', {}, t(key)), ...content);

  // ----- rendering -----------------------------------------------------------------------------
  let state = readState();
  let data = null;

  function render() {
    const r = data.monthlyReport;
    const county = data.county && data.county.edges[0] ? data.county.edges[0].node : null;
    const area = (r.region || county || { name: '' }).name;
    const unitLine = t('unit', { area });
    const issued = r.published ? r.published.publishedAt : r.asOf;
    const lvl = levelName(r.level);
    const m = measureName(r.measure);
    document.title = `${i18n.lang === 'en' ? t('title', { month: monthText(r.month) }) : r.title}`;

    const head = el(
      'header',
      { class: 'notice-head' },
      el('div', { class: 'issuer' }, unitLine),
      el(
        'div',
        { class: 'issue-line' },
        el('span', {}, r.published ? `${t('version', { n: r.published.version })}（${t('publishedBy', { who: r.published.publishedBy.name, when: dateText(r.published.publishedAt, r.timeZone, true) })}）` : t('live')),
        el('span', {}, dateText(issued, r.timeZone, false)),
      ),
      el('hr', { class: 'red-line' }),
      el('h1', { class: 'notice-title' }, i18n.lang === 'en' ? t('title', { month: monthText(r.month) }) : r.title),
    );
    const intro = [
      el('p', { class: 'addressees' }, t('addressees')),
      el('p', { class: 'body-text' }, t('intro', { month: monthText(r.month), area, measure: m, level: lvl, better: t(r.better), asOf: dateText(r.asOf, r.timeZone, true) })),
    ];

    const isRate = F.info(r.measure).unit === 'RATE';
    const ranking = section(
      's1',
      el('p', { class: 'table-note' }, t('compared', { previous: monthText(r.previousMonth), yearAgo: monthText(r.yearAgoMonth) })),
      table(
        [t('rank'), lvl, m, isRate ? t('ci') : null, t('previousRank'), t('mom'), t('yearAgoRank'), t('yoy'), t('tieBand')].filter((x) => x !== null),
        r.rows.map((x) =>
          [String(x.rank), x.region.name, fmt(x.value), isRate ? F.interval(x.value) : null, `${x.previous.rank}（${fmt(x.previous.value)}）`, F.rankChange(x.rankChange), `${x.yearAgo.rank}（${fmt(x.yearAgo.value)}）`, F.rankChange(x.yearAgoRankChange), String(x.tieBand)].filter((c) => c !== null),
        ),
        (i) => ({ class: r.rows[i].value.suppressed ? 'suppressed' : null, dataset: { region: r.rows[i].region.id } }),
      ),
    );
    const names = r.bottom.map((x) => x.region.name).join(i18n.lang === 'en' ? ', ' : '、');
    const bottom = section(
      's2',
      el('p', { class: 'body-text', id: 'bottom-text' }, r.bottom.length ? t('bottomText', { level: lvl, measure: m, names }) : t('noBottom')),
      r.bottom.length ? table([t('rank'), lvl, m], r.bottom.map((x) => [String(x.rank), x.region.name, fmt(x.value)]), (i) => ({ class: 'bottom-row', dataset: { region: r.bottom[i].region.id } })) : null,
    );
    const departments = section(
      's3',
      r.departments.length
        ? table(
            [t('rank'), t('department'), t('issues'), measureName('TRANSFER_RATE'), measureName('AVG_TRANSFERS'), measureName('ON_TIME_RATE'), measureName('FALSE_CLOSURE_RATE'), measureName('CONTACTED_RATE'), t('tieBand')],
            r.departments.map((d) => [d.rank === null ? '—' : String(d.rank), d.department ? d.department.name : t('unassigned'), String(d.issues), fmt(d.transferRate), fmt(d.avgTransfers), fmt(d.onTimeRate), fmt(d.falseClosureRate), fmt(d.contactedRate), d.tieBand === null ? '—' : String(d.tieBand)]),
          )
        : el('p', { class: 'body-text' }, t('none')),
    );
    const cadreRow = (c) => [c.cadre.name, i18n.label('CadreRank', c.cadre.rank), c.cadre.region ? c.cadre.region.name : ''];
    const cadres = section(
      's4',
      el('p', { class: 'body-text' }, t('cadresNote', { year: r.scorecardYear, to: dateText(r.cadresAsOf, r.timeZone, false) })),
      el('h3', {}, t('s4a')),
      r.vetoedCadres.length ? table([t('cadre'), t('cadreRank'), t('cadreRegion'), t('satisfaction')], r.vetoedCadres.map((c) => [...cadreRow(c), `${fmt(c.satisfaction)}（${c.satisfaction.numerator}/${c.satisfaction.denominator}）`])) : el('p', { class: 'body-text' }, t('none')),
      el('h3', {}, t('s4b')),
      r.behindPaceCadres.length
        ? table([t('cadre'), t('cadreRank'), t('cadreRegion'), t('stayDays'), t('pace'), t('quota')], r.behindPaceCadres.map((c) => [...cadreRow(c), String(c.stayDays), c.stayPace.toFixed(1), String(c.stayQuota)]))
        : el('p', { class: 'body-text' }, t('none')),
    );
    const festival = section(
      's5',
      el('p', { class: 'body-text' }, t('festivalNote', { from: r.festivalFrom, to: r.festivalTo, level: lvl })),
      r.festivalRegions.length ? table([lvl, t('visits'), t('holidayVisits'), t('share')], r.festivalRegions.map((f) => [f.region.name, String(f.visits), String(f.holidayVisits), fmt(f.share)])) : el('p', { class: 'body-text' }, t('none')),
      el('footer', { class: 'signature' }, el('div', {}, unitLine), el('div', {}, dateText(issued, r.timeZone, false))),
    );
    box('notice').replaceChildren(head, ...intro, ranking, bottom, departments, cadres, festival);
    box('notice').hidden = false;
    box('status').hidden = true;
    renderToolbar();
  }

  function renderToolbar() {
    box('r-month').value = state.month;
    const levels = window.MQ_LABELS.RegionLevel.values.filter((l) => l !== 'COUNTY');
    box('r-level').replaceChildren(...levels.map((l) => el('option', { value: l, selected: l === state.level }, levelName(l))));
    box('r-measure').replaceChildren(...F.regionalMeasures().map((m) => el('option', { value: m, selected: m === state.measure }, measureName(m))));
    const versions = data ? data.monthlyReports.filter((p) => (p.region ? p.region.id : null) === (state.regionId || null)) : [];
    box('r-version').replaceChildren(
      el('option', { value: '', selected: !state.version }, t('live')),
      ...versions.map((p) => el('option', { value: String(p.version), selected: p.version === state.version }, `${t('version', { n: p.version })} · ${p.publishedBy.name}`)),
    );
    box('xlsx').setAttribute('href', xlsxUrl(state));
    box('publish').hidden = !(role === 'ADMIN' && !state.version && data);
  }

  async function load() {
    document.body.dataset.ready = 'false';
    box('status').hidden = false;
    box('status').textContent = t('loading');
    const vars = { month: state.month, level: state.level, measure: state.measure, regionId: state.regionId, version: state.version };
    try {
      const { status, json } = await Q.post({ query: REPORT, variables: vars }, csrf);
      if (status === 401) {
        window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
        return;
      }
      if (json.errors && json.errors.length) throw new Error(json.errors.map((e) => e.message).join('; '));
      data = json.data;
      render();
      document.body.dataset.ready = 'true';
    } catch (err) {
      data = null;
      box('notice').hidden = true;
      box('status').textContent = `${t('failed')}: ${err.message}`;
      renderToolbar();
      document.body.dataset.ready = 'error';
    }
  }

  function go(patch) {
    state = Object.assign({}, state, patch);
    window.history.pushState(null, '', urlOf(state));
    load();
  }

  box('report-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const month = box('r-month').value;
    if (!/^\d{4}-\d{2}$/.test(month)) return;
    go({ month, level: box('r-level').value, measure: box('r-measure').value, version: null });
  });
  box('r-version').addEventListener('change', () => go({ version: box('r-version').value ? Number(box('r-version').value) : null }));
  box('print').addEventListener('click', () => window.print());
  box('publish').addEventListener('click', async () => {
    if (!window.confirm(t('publishConfirm'))) return;
    const { json } = await Q.post({ query: PUBLISH, variables: { month: state.month, level: state.level, measure: state.measure, regionId: state.regionId } }, csrf);
    if (json.errors && json.errors.length) {
      box('status').hidden = false;
      box('status').textContent = `${t('failed')}: ${json.errors.map((e) => e.message).join('; ')}`;
      return;
    }
    go({ version: json.data.publishMonthlyReport.version });
  });
  box('lang-toggle').addEventListener('click', () => {
    i18n.setLang(i18n.lang === 'zh' ? 'en' : 'zh');
    window.history.replaceState(null, '', urlOf(state));
    i18n.apply(document);
    if (data) render();
    else renderToolbar();
  });
  window.addEventListener('popstate', () => {
    state = readState();
    load();
  });

  i18n.apply(document);
  renderToolbar();
  load();
})();
