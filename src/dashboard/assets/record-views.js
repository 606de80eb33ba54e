'use strict';
// The record views (action.md): the household card (民情登记卡: members, tags, pairings,
// visits, appeals and their outcome, callbacks), the cadre ledger (民情台账: the year's visits and
// stay days against quota and pace, pairings and their last contact, the appeals raised on the
// cadre's visits, the responses naming the cadre) and an appeal on its own (its handling steps and
// callbacks; the worklist links there when an appeal names no household). One GraphQL request each (sections page on
// with "more"); masking and scope are the API's: an ANALYST gets 张* and no free text, an OFFICER
// outside its subtree FORBIDDEN, and then nothing of the record is drawn.
(function () {
  const { el } = window.MQ_DOM;
  const i18n = window.MQ_I18N;
  const Q = window.MQ_QUERIES;
  const t = (k) => i18n.t(k);
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const csrf = meta('mq-csrf');
  const role = meta('mq-role');
  const kind = meta('mq-record-kind');
  const id = meta('mq-record-id');
  // Roles that get personal free text withheld (datasets.ts `personal`): null there means hidden, not empty.
  const masked = role !== 'ADMIN' && role !== 'OFFICER';

  i18n.extend({
    householdCard: ['民情登记卡', 'Household card'],
    cadreLedger: ['民情台账', 'Cadre ledger'],
    issueRecord: ['诉求', 'Appeal'],
    eventsTitle: ['办理过程', 'Handling'],
    eventType: ['环节', 'Step'],
    due: ['办理时限', 'Due'],
    backToDashboard: ['返回看板', 'Back to the dashboard'],
    headName: ['户主', 'Head of household'],
    phone: ['电话', 'Phone'],
    members: ['家庭人口', 'Members'],
    tags: ['户类标签', 'Tags'],
    region: ['所在区域', 'Region'],
    unit: ['工作单位', 'Unit'],
    rankLabel: ['职级', 'Rank'],
    pairingsTitle: ['结对帮扶', 'Pairings'],
    visitsTitle: ['走访记录', 'Visits'],
    appealsTitle: ['诉求及办理结果', 'Appeals and their outcome'],
    surveysTitle: ['回访与评价', 'Callbacks and ratings'],
    raisedTitle: ['走访中反映的诉求', 'Appeals raised on the cadre’s visits'],
    namingTitle: ['群众评价（点名）', 'Responses naming the cadre'],
    yearTitle: ['年度考核', 'The year against quota'],
    cadre: ['干部', 'Cadre'],
    household: ['住户', 'Household'],
    started: ['开始', 'Started'],
    ended: ['结束', 'Ended'],
    lastContact: ['最近联系', 'Last contact'],
    when: ['时间', 'When'],
    kind: ['方式', 'Kind'],
    note: ['民情日记', 'Note'],
    stayDays: ['驻村天数', 'Stay days'],
    received: ['受理时间', 'Received'],
    category: ['类别', 'Category'],
    channel: ['渠道', 'Channel'],
    status: ['状态', 'Status'],
    department: ['承办部门', 'Department'],
    transfers: ['转办/重办', 'Transfers / reopens'],
    answer: ['群众评价', 'Resident says'],
    summary: ['诉求内容', 'Summary'],
    callbacks: ['回访', 'Callbacks'],
    score: ['评分', 'Score'],
    resolvedCol: ['是否解决', 'Resolved'],
    contacted: ['是否联系', 'Contacted'],
    comment: ['意见', 'Comment'],
    withheld: ['（已隐藏）', '(withheld)'],
    none: ['无', 'none'],
    more: ['加载更多', 'Load more'],
    total: ['共', 'total'],
    forbidden: ['无权查看此记录', 'You may not open this record'],
    notFound: ['未找到此记录', 'No such record'],
    failed: ['加载失败', 'Failed to load'],
    quota: ['定额', 'Quota'],
    pace: ['进度', 'Pace'],
    behindPace: ['进度落后', 'behind pace'],
    activePairings: ['在结对户', 'Active pairings'],
    coverage: ['结对联系率', 'Paired coverage'],
    visits: ['走访次数', 'Visits'],
    holidayShare: ['节日走访占比', 'Holiday share'],
    satisfaction: ['满意率', 'Satisfied rate'],
    composite: ['综合得分', 'Composite'],
    vetoed: ['一票否决', 'Vetoed'],
    suppressed: ['样本不足', 'suppressed'],
    yes: ['是', 'yes'],
    no: ['否', 'no'],
    prevYear: ['上一年', 'Previous year'],
    nextYear: ['下一年', 'Next year'],
  });

  const PAGE = 'totalCount pageInfo { hasNextPage endCursor }';
  const FIRST = 50;
  const SECTIONS = {
    household: {
      visits: `visits(first: $first, after: $after) { ${PAGE} edges { node { id visitedAt kind stayDays note cadre { id name } } } }`,
      issues: `issues(first: $first, after: $after) { ${PAGE} edges { node { id receivedAt dueAt channel category status summary transferCount reopenCount residentAnswer department { name } surveys { id respondedAt score resolved contacted comment } } } }`,
      surveys: `surveys(first: $first, after: $after) { ${PAGE} edges { node { id respondedAt channel score resolved contacted comment cadre { id name } issue { id } } } }`,
    },
    cadre: {
      visits: `visits(first: $first, after: $after, filter: { visitedFrom: $from, visitedTo: $to }) { ${PAGE} edges { node { id visitedAt kind stayDays note region { name } household { id headName } } } }`,
      surveys: `surveys(first: $first, after: $after, filter: { respondedFrom: $from, respondedTo: $to }) { ${PAGE} edges { node { id respondedAt channel score resolved comment household { id headName } } } }`,
    },
  };
  const RAISED = `issues(first: $first, after: $after, filter: { cadreId: $id, receivedFrom: $from, receivedTo: $to }) { ${PAGE} edges { node { id receivedAt category channel status residentAnswer household { id headName } } } }`;
  const REGION = 'region { id name ancestors { name } }';
  const ISSUE = `query IssueRecord($id: ID!) {
  issue(id: $id) {
    id receivedAt dueAt channel category status summary transferCount reopenCount residentAnswer ${REGION}
    department { name } household { id headName }
    events { id at type note department { name } }
    surveys { id respondedAt score resolved contacted comment }
  }
}`;
  const HOUSEHOLD = `query HouseholdCard($id: ID!, $first: Int!, $after: String) {
  household(id: $id) {
    id headName phone members tags ${REGION}
    pairings { id startedOn endedOn lastVisitAt cadre { id name rank unit } }
    ${Object.values(SECTIONS.household).join('\n    ')}
  }
}`;
  const CADRE = `query CadreLedger($id: ID!, $year: Int!, $from: Date!, $to: Date!, $first: Int!, $after: String) {
  cadre(id: $id) {
    id name rank unit phone ${REGION}
    scorecard(year: $year) { stayDays stayQuota stayMet stayPace behindPace activePairings pairingQuota pairingsMet visits composite vetoed vetoReason
      pairedCoverage { value numerator denominator } holidayVisitShare { value numerator denominator } satisfaction { value numerator denominator suppressed } }
    pairings { id startedOn endedOn lastVisitAt household { id headName tags } }
    ${Object.values(SECTIONS.cadre).join('\n    ')}
  }
  raised: ${RAISED}
}`;

  // ----- helpers -------------------------------------------------------------------------------
  // Instants in the reporting zone (sv-SE writes YYYY-MM-DD HH:mm).
  const clock = new Intl.DateTimeFormat('sv-SE', { timeZone: meta('mq-time-zone'), year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const time = (iso) => (iso ? clock.format(new Date(iso)) : '—');
  const label = (e, v) => (v === null || v === undefined ? '—' : i18n.label(e, v));
  const yesNo = (v) => (v === null || v === undefined ? '—' : v ? t('yes') : t('no'));
  const text = (v) => (v !== null && v !== undefined && v !== '' ? v : masked ? el('span', { class: 'withheld' }, t('withheld')) : '—');
  const pct = (mv) => (!mv || mv.suppressed ? t('suppressed') : mv.value === null ? '—' : `${(mv.value * 100).toFixed(1)}% (${mv.numerator}/${mv.denominator})`);
  const lang = () => (i18n.lang === 'en' ? '?lang=en' : '');
  const householdLink = (h) => (h ? el('a', { href: `/dashboard/household/${encodeURIComponent(h.id)}${lang()}`, class: 'record-link' }, h.headName) : '—');
  const cadreLink = (c) => (c ? el('a', { href: `/dashboard/cadre/${encodeURIComponent(c.id)}${lang()}`, class: 'record-link' }, c.name) : '—');
  const place = (r) => [...r.ancestors.map((a) => a.name), r.name].join(' › ');
  /** A table of [rowId, cells] rows; with `anchor` each row is also `#<anchor>-<rowId>` (the worklist links to it). */
  function table(headers, rows, anchor) {
    if (!rows.length) return el('p', { class: 'status' }, t('none'));
    return el(
      'table',
      { class: 'data' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, t(h))))),
      el('tbody', {}, rows.map(([rowId, cells]) => el('tr', { id: anchor ? `${anchor}-${rowId}` : null, dataset: { id: rowId } }, cells.map((c) => el('td', {}, c))))),
    );
  }
  function facts(pairs) {
    return el('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { dataset: { field: k } }, v)]));
  }

  async function gql(query, variables) {
    const { status, json } = await Q.post({ query, variables }, csrf);
    if (status === 401) {
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
      throw new Error('signed out');
    }
    return json;
  }

  // ----- sections ------------------------------------------------------------------------------
  /** A paged section: its rows so far, and a "more" button that fetches the next page of the same connection. */
  function section(name, titleKey, conn, headers, row, fetchMore, anchor) {
    const box = el('section', { class: 'panel', id: name, dataset: { section: name } });
    let edges = conn.edges;
    let pageInfo = conn.pageInfo;
    const draw = () => {
      const more = pageInfo.hasNextPage
        ? el('button', { type: 'button', class: 'more', onclick: async (ev) => {
            ev.currentTarget.disabled = true;
            const next = await fetchMore(pageInfo.endCursor);
            if (!next) return;
            edges = edges.concat(next.edges);
            pageInfo = next.pageInfo;
            draw();
          } }, `${t('more')} (${edges.length} / ${conn.totalCount})`)
        : null;
      box.replaceChildren(
        el('header', {}, el('h2', {}, t(titleKey)), el('span', { class: 'note', dataset: { total: String(conn.totalCount) } }, `${t('total')} ${conn.totalCount}`)),
        el('div', { class: 'body' }, el('div', { class: 'table-wrap' }, table(headers, edges.map(({ node }) => [node.id, row(node)]), anchor)), more),
      );
    };
    draw();
    return box;
  }

  function visitRow(n, withHousehold) {
    return [time(n.visitedAt), label('VisitKind', n.kind), n.kind === 'VILLAGE_STAY' ? String(n.stayDays || 1) : '', withHousehold ? householdLink(n.household) : cadreLink(n.cadre), text(n.note)];
  }

  // ----- the household card --------------------------------------------------------------------
  async function household() {
    const vars = { id, first: FIRST };
    const json = await gql(HOUSEHOLD, vars);
    const h = refusal(json, 'household');
    if (!h) return;
    document.title = `${t('householdCard')} · ${h.headName}`;
    const more = (key) => async (after) => {
      const j = await gql(`query($id: ID!, $first: Int!, $after: String) { household(id: $id) { ${SECTIONS.household[key]} } }`, { ...vars, after });
      return j.data && j.data.household ? j.data.household[key] : null;
    };
    return [
      el('div', { class: 'record-head' },
        el('div', { class: 'kind' }, t('householdCard')),
        el('h2', { id: 'head-name' }, h.headName),
        facts([
          ['region', place(h.region)],
          ['phone', h.phone || '—'],
          ['members', h.members === null ? '—' : String(h.members)],
          ['tags', h.tags.length ? h.tags.map((x) => el('span', { class: 'tag' }, i18n.label('HouseholdTag', x))) : '—'],
        ])),
      el('section', { class: 'panel', id: 'pairings', dataset: { section: 'pairings' } },
        el('header', {}, el('h2', {}, t('pairingsTitle'))),
        el('div', { class: 'body' }, table(['cadre', 'rankLabel', 'unit', 'started', 'ended', 'lastContact'], h.pairings.map((p) => [p.id, [cadreLink(p.cadre), p.cadre ? label('CadreRank', p.cadre.rank) : '—', p.cadre && p.cadre.unit ? p.cadre.unit : '—', p.startedOn, p.endedOn || '—', time(p.lastVisitAt)]]), 'pairing'))),
      section('visits', 'visitsTitle', h.visits, ['when', 'kind', 'stayDays', 'cadre', 'note'], (n) => visitRow(n, false), more('visits')),
      section('issues', 'appealsTitle', h.issues, ['received', 'category', 'channel', 'status', 'department', 'transfers', 'answer', 'summary', 'callbacks'], (n) => [
        time(n.receivedAt),
        label('IssueCategory', n.category),
        label('IssueChannel', n.channel),
        label('IssueStatus', n.status),
        n.department ? n.department.name : '—',
        `${n.transferCount} / ${n.reopenCount}`,
        label('ResidentAnswer', n.residentAnswer),
        text(n.summary),
        callbackList(n.surveys),
      ], more('issues'), 'issue'),
      section('surveys', 'surveysTitle', h.surveys, ['when', 'channel', 'score', 'resolvedCol', 'contacted', 'cadre', 'comment'], (n) => [time(n.respondedAt), label('SurveyChannel', n.channel), String(n.score), label('ResidentAnswer', n.resolved), yesNo(n.contacted), cadreLink(n.cadre), text(n.comment)], more('surveys')),
    ];
  }

  function callbackList(surveys) {
    return surveys.length ? el('ul', { class: 'callbacks' }, surveys.map((s) => el('li', {}, `${time(s.respondedAt)} · ${t('score')} ${s.score} · ${label('ResidentAnswer', s.resolved)} · ${t('contacted')} ${yesNo(s.contacted)}`, s.comment ? ` · ${s.comment}` : ''))) : '—';
  }

  // ----- an appeal on its own (the worklist's appeals that name no household) ----------------------
  async function issue() {
    const json = await gql(ISSUE, { id });
    const n = refusal(json, 'issue');
    if (!n) return;
    document.title = `${t('issueRecord')} · ${n.id}`;
    return [
      el('div', { class: 'record-head' },
        el('div', { class: 'kind' }, t('issueRecord')),
        el('h2', { id: 'issue-id' }, n.id),
        facts([
          ['region', place(n.region)],
          ['household', householdLink(n.household)],
          ['received', time(n.receivedAt)],
          ['due', time(n.dueAt)],
          ['category', label('IssueCategory', n.category)],
          ['channel', label('IssueChannel', n.channel)],
          ['status', label('IssueStatus', n.status)],
          ['department', n.department ? n.department.name : '—'],
          ['transfers', `${n.transferCount} / ${n.reopenCount}`],
          ['answer', label('ResidentAnswer', n.residentAnswer)],
          ['summary', text(n.summary)],
          ['callbacks', callbackList(n.surveys)],
        ])),
      el('section', { class: 'panel', id: 'events', dataset: { section: 'events' } },
        el('header', {}, el('h2', {}, t('eventsTitle'))),
        el('div', { class: 'body' }, table(['when', 'eventType', 'department', 'note'], n.events.map((e) => [e.id, [time(e.at), label('IssueEventType', e.type), e.department ? e.department.name : '—', text(e.note)]])))),
    ];
  }

  // ----- the cadre ledger ----------------------------------------------------------------------
  function yearOf() {
    const y = Number(new URLSearchParams(window.location.search).get('year'));
    const now = new Date().getFullYear();
    return Number.isInteger(y) && y >= 2000 && y <= now ? y : now;
  }

  async function cadre() {
    const year = yearOf();
    const vars = { id, year, from: `${year}-01-01`, to: `${year}-12-31`, first: FIRST };
    const json = await gql(CADRE, vars);
    const c = refusal(json, 'cadre');
    if (!c) return;
    document.title = `${t('cadreLedger')} · ${c.name}`;
    const more = (key) => async (after) => {
      const j = await gql(`query($id: ID!, $from: Date!, $to: Date!, $first: Int!, $after: String) { cadre(id: $id) { ${SECTIONS.cadre[key]} } }`, { ...vars, year: undefined, after });
      return j.data && j.data.cadre ? j.data.cadre[key] : null;
    };
    const moreRaised = async (after) => {
      const j = await gql(`query($id: ID!, $from: Date!, $to: Date!, $first: Int!, $after: String) { raised: ${RAISED} }`, { ...vars, year: undefined, after });
      return j.data ? j.data.raised : null;
    };
    const s = c.scorecard;
    const nav = el('div', { class: 'year-nav' },
      el('a', { href: `?year=${year - 1}${i18n.lang === 'en' ? '&lang=en' : ''}`, id: 'prev-year' }, t('prevYear')),
      el('strong', {}, String(year)),
      year < new Date().getFullYear() ? el('a', { href: `?year=${year + 1}${i18n.lang === 'en' ? '&lang=en' : ''}`, id: 'next-year' }, t('nextYear')) : null);
    const card = s
      ? facts([
          ['stayDays', el('span', { class: s.behindPace ? 'behind' : '' }, `${s.stayDays} / ${s.stayQuota} · ${t('pace')} ${s.stayPace.toFixed(1)}${s.behindPace ? ` · ${t('behindPace')}` : ''}`)],
          ['activePairings', `${s.activePairings} / ${s.pairingQuota}`],
          ['coverage', pct(s.pairedCoverage)],
          ['visits', String(s.visits)],
          ['holidayShare', pct(s.holidayVisitShare)],
          ['satisfaction', pct(s.satisfaction)],
          ['composite', s.composite.toFixed(1)],
          ['vetoed', s.vetoed ? el('span', { class: 'veto' }, s.vetoReason || t('vetoed')) : t('no')],
        ])
      : el('p', { class: 'status' }, t('none'));
    return [
      el('div', { class: 'record-head' },
        el('div', { class: 'kind' }, t('cadreLedger')),
        el('h2', { id: 'cadre-name' }, c.name),
        facts([
          ['rankLabel', label('CadreRank', c.rank)],
          ['unit', c.unit || '—'],
          ['region', place(c.region)],
          ['phone', c.phone || '—'],
        ])),
      el('section', { class: 'panel', dataset: { section: 'year' } }, el('header', {}, el('h2', {}, t('yearTitle')), nav), el('div', { class: 'body' }, card)),
      el('section', { class: 'panel', dataset: { section: 'pairings' } },
        el('header', {}, el('h2', {}, t('pairingsTitle'))),
        el('div', { class: 'body' }, table(['household', 'tags', 'started', 'ended', 'lastContact'], c.pairings.map((p) => [p.id, [householdLink(p.household), p.household ? p.household.tags.map((x) => i18n.label('HouseholdTag', x)).join('、') || '—' : '—', p.startedOn, p.endedOn || '—', time(p.lastVisitAt)]])))),
      section('visits', 'visitsTitle', c.visits, ['when', 'kind', 'stayDays', 'household', 'note'], (n) => visitRow(n, true), more('visits')),
      section('raised', 'raisedTitle', json.data.raised, ['received', 'household', 'category', 'channel', 'status', 'answer'], (n) => [time(n.receivedAt), householdLink(n.household), label('IssueCategory', n.category), label('IssueChannel', n.channel), label('IssueStatus', n.status), label('ResidentAnswer', n.residentAnswer)], moreRaised),
      section('surveys', 'namingTitle', c.surveys, ['when', 'channel', 'score', 'resolvedCol', 'household', 'comment'], (n) => [time(n.respondedAt), label('SurveyChannel', n.channel), String(n.score), label('ResidentAnswer', n.resolved), householdLink(n.household), text(n.comment)], more('surveys')),
    ];
  }

  /** The record of an answer, or null with the refusal drawn instead (nothing of the record). */
  function refusal(json, field) {
    const main = document.getElementById('record');
    const errors = json.errors || [];
    if (errors.length) {
      const forbidden = errors.some((e) => e.extensions && e.extensions.code === 'FORBIDDEN');
      main.dataset.state = forbidden ? 'forbidden' : 'error';
      main.replaceChildren(el('p', { class: 'record-error', id: 'record-error' }, forbidden ? t('forbidden') : `${t('failed')}: ${errors.map((e) => e.message).join('; ')}`));
      return null;
    }
    if (!json.data || !json.data[field]) {
      main.dataset.state = 'missing';
      main.replaceChildren(el('p', { class: 'record-error', id: 'record-error' }, t('notFound')));
      return null;
    }
    return json.data[field];
  }

  const TITLE = { household: 'householdCard', cadre: 'cadreLedger', issue: 'issueRecord' };
  const VIEW = { household, cadre, issue };
  /** The row or section a link named (#issue-<id>, #pairing-<id>, #issues): drawn after load, so scrolled to by hand. */
  function showAnchor() {
    const hash = window.location.hash.slice(1);
    const target = hash ? document.getElementById(decodeURIComponent(hash)) : null;
    if (!target) return;
    target.classList.add('anchored');
    target.scrollIntoView({ block: 'center' });
  }

  async function load() {
    const main = document.getElementById('record');
    document.body.dataset.ready = 'false';
    i18n.apply(document);
    document.getElementById('record-title').textContent = t(TITLE[kind]);
    try {
      const parts = await VIEW[kind]();
      if (parts) {
        main.dataset.state = 'ready';
        main.replaceChildren(...parts);
        showAnchor();
      }
    } catch (err) {
      console.error('record view:', err.message);
      main.dataset.state = 'error';
      main.replaceChildren(el('p', { class: 'record-error', id: 'record-error' }, `${t('failed')}: ${err.message}`));
    }
    document.body.dataset.ready = 'true';
  }

  document.getElementById('who').textContent = `${meta('mq-user')} (${role})`;
  document.getElementById('back-to-dashboard').addEventListener('click', (ev) => {
    // Back to the view the record was opened from, when there is one.
    if (window.history.length > 1 && document.referrer && new URL(document.referrer).origin === window.location.origin) {
      ev.preventDefault();
      window.history.back();
    }
  });
  document.getElementById('lang-toggle').addEventListener('click', () => {
    i18n.setLang(i18n.lang === 'zh' ? 'en' : 'zh');
    const p = new URLSearchParams(window.location.search);
    if (i18n.lang === 'en') p.set('lang', 'en');
    else p.delete('lang');
    window.history.replaceState(null, '', `${window.location.pathname}${p.toString() ? `?${p}` : ''}`);
    load();
  });
  load();
})();
