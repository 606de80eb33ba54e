'use strict';
// The dashboard's worklist (预警, action.md "Worklists"): a badge per alert type with its count for
// the page's region as of now, and the alerts oldest first, 20 a page ("more" appends the next page
// by the connection's cursor, as of the first page's asOf). A badge narrows the list to its type
// (a second click, or the total, shows all again); the badge keeps every type's count. Each alert links to the record view that shows why it is there:
//   OVERDUE, DUE_SOON, DENIED_NOT_REDONE (an issue) → the household card at the issue's row
//     (#issue-<id>); an issue without a household → the issue view (/dashboard/issue/:id)
//   SILENT_PAIRING (a pairing) → the household card at the pairing's row (#pairing-<id>: its last contact)
//   BEHIND_PACE, VETO_RISK (a cadre) → the cadre ledger (the year against quota, the responses naming the cadre)
//   REPEAT_APPEALS (a household) → the household card's appeals (#issues)
// It has a request of its own (dashboard-queries.js ALERTS), so a slow or failing worklist never
// holds up the other panels; it registers with dashboard.js through window.MQ_PANELS.
(function () {
  const i18n = window.MQ_I18N;
  const Q = window.MQ_QUERIES;
  i18n.extend({
    alerts: ['预警', 'Worklist'],
    alertType: ['类型', 'Type'],
    alertSubject: ['对象', 'Subject'],
    alertRegion: ['区域', 'Region'],
    alertDepartment: ['承办单位', 'Department'],
    alertCadre: ['干部', 'Cadre'],
    alertSince: ['起始', 'Since'],
    alertAge: ['持续', 'Age'],
    alertsTotal: ['共 {n} 条', '{n} in all'],
    alertsAsOf: ['截至 {t}', 'as of {t}'],
    alertsNone: ['当前没有预警', 'Nothing to act on'],
    alertIssue: ['诉求 {id}', 'Appeal {id}'],
    alertPairing: ['{cadre} ↔ {household}', '{cadre} ↔ {household}'],
    hoursShort: ['{n} 小时', '{n} h'],
    daysShort: ['{n} 天', '{n} d'],
  });
  /** action.md's types in its order, with their zh/en names as the badge shows them (shorter in English than labels.js AlertType). */
  const TYPES = {
    OVERDUE: ['超期', 'Overdue'],
    DUE_SOON: ['临期', 'Due soon'],
    DENIED_NOT_REDONE: ['群众不认可未重办', 'Denied, not redone'],
    SILENT_PAIRING: ['结对不联系', 'Silent pairing'],
    BEHIND_PACE: ['驻村进度落后', 'Behind pace'],
    VETO_RISK: ['满意度否决风险', 'Veto risk'],
    REPEAT_APPEALS: ['重复诉求', 'Repeat appeals'],
  };
  const ISSUE_TYPES = new Set(['OVERDUE', 'DUE_SOON', 'DENIED_NOT_REDONE']);
  const t = (k, vars) => i18n.t(k).replace(/\{(\w+)\}/g, (m, name) => (vars && name in vars ? vars[name] : m));
  const typeLabel = (type) => (TYPES[type] ? TYPES[type][i18n.lang === 'en' ? 1 : 0] : type);
  const zone = (document.querySelector('meta[name="mq-time-zone"]') || {}).content || undefined;
  // sv-SE writes YYYY-MM-DD HH:mm, in the reporting zone as the record views do.
  const clock = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const time = (iso) => (iso ? clock.format(new Date(iso)) : '—');
  /** Under two days in hours, else whole days (an age is from `since` to asOf). */
  const age = (h) => (h < 48 ? t('hoursShort', { n: Math.floor(h) }) : t('daysShort', { n: Math.floor(h / 24) }));
  const lang = () => (i18n.lang === 'en' ? '?lang=en' : '');
  /** A region as the list shows it: a villager group or grid with its village (第二网格 alone says little). */
  function place(r) {
    if (!r) return '—';
    const parent = r.ancestors && r.ancestors.length ? r.ancestors[r.ancestors.length - 1] : null;
    return r.level === 'GROUP' && parent ? `${parent.name} ${r.name}` : r.name;
  }
  const enc = encodeURIComponent;

  /** The record view an alert opens and the text of its link. */
  function target(a) {
    const s = a.subject;
    if (ISSUE_TYPES.has(a.type)) {
      const text = t('alertIssue', { id: a.subjectId });
      const h = s && s.household;
      return h ? { href: `/dashboard/household/${enc(h.id)}${lang()}#issue-${enc(a.subjectId)}`, text: `${text} · ${h.headName}` } : { href: `/dashboard/issue/${enc(a.subjectId)}${lang()}`, text };
    }
    if (a.type === 'SILENT_PAIRING') {
      const h = s && s.pairedHousehold;
      if (h) return { href: `/dashboard/household/${enc(h.id)}${lang()}#pairing-${enc(a.subjectId)}`, text: t('alertPairing', { cadre: s.cadre ? s.cadre.name : '—', household: h.headName }) };
      return a.cadre ? { href: `/dashboard/cadre/${enc(a.cadre.id)}${lang()}`, text: a.subjectId } : { href: null, text: a.subjectId };
    }
    if (a.type === 'REPEAT_APPEALS') return { href: `/dashboard/household/${enc(a.subjectId)}${lang()}#issues`, text: s ? s.headName : a.subjectId };
    return { href: `/dashboard/cadre/${enc(a.subjectId)}${lang()}`, text: s ? s.name : a.subjectId };
  }

  /** The badge: every type (zero counts too), then the total; a type's count is countsByType's. */
  function badges(conn, el, chosen, choose) {
    const counts = new Map(conn.countsByType.map((c) => [c.type, c.count]));
    return [
      ...Object.keys(TYPES).map((type) => {
        const n = counts.get(type) || 0;
        return el(
          'button',
          { type: 'button', class: `alert-badge${n ? ' on' : ''}`, disabled: n === 0, 'aria-pressed': String(chosen === type), dataset: { type, count: String(n) }, onclick: () => choose(chosen === type ? null : type) },
          el('span', { class: 'alert-badge-label' }, typeLabel(type)),
          el('span', { class: 'alert-badge-count' }, String(n)),
        );
      }),
      el('button', { type: 'button', class: 'alert-total', 'aria-pressed': String(chosen === null), dataset: { count: String(conn.totalCount) }, onclick: () => choose(null) }, t('alertsTotal', { n: conn.totalCount })),
    ];
  }

  /** The variables of a worklist request: the page's region, the first page's asOf, the chosen type. */
  function variables(api, head, type, after) {
    const vars = Object.assign({}, Q.requestsFor(api.state()).alerts.variables, { asOf: head.asOf });
    if (type) vars.types = [type];
    if (after) vars.after = after;
    return vars;
  }

  function render(answer, api) {
    const { el, table } = api;
    // `alerts` heads the panel (badge, asOf); `list` is what the table shows (all, or one type).
    const head = answer.alerts;
    const conn = answer.list || head;
    const chosen = answer.type || null;
    const note = document.getElementById('alerts-note');
    note.textContent = t('alertsAsOf', { t: time(head.asOf) });
    note.dataset.asOf = head.asOf;
    const choose = async (type) => {
      const gen = api.generation();
      try {
        const list = type ? (await api.gql(Q.ALERTS, variables(api, head, type))).alerts : null;
        if (gen !== api.generation()) return;
        answer.type = type;
        answer.list = list;
        render(answer, api);
      } catch (err) {
        console.error('dashboard alerts:', err.message);
        api.panelState('alerts', 'error', err.message);
      }
    };
    document.getElementById('alerts-badges').replaceChildren(...badges(head, el, chosen, choose));
    const rows = conn.edges.map(({ node: a }) => {
      const to = target(a);
      return [
        el('span', { class: 'alert-type', dataset: { type: a.type } }, typeLabel(a.type)),
        to.href ? el('a', { href: to.href, class: 'record-link alert-link' }, to.text) : to.text,
        place(a.region),
        a.department ? a.department.name : '—',
        a.cadre ? a.cadre.name : '—',
        time(a.since),
        age(a.ageHours),
      ];
    });
    const body = rows.length
      ? table([t('alertType'), t('alertSubject'), t('alertRegion'), t('alertDepartment'), t('alertCadre'), t('alertSince'), t('alertAge')], rows, (i) => ({ dataset: { alert: conn.edges[i].node.id, type: conn.edges[i].node.type, since: conn.edges[i].node.since } }))
      : el('p', { class: 'status' }, t('alertsNone'));
    api.setBody('alerts-table', body);
    if (conn.pageInfo.hasNextPage) {
      const more = el('button', { type: 'button', class: 'more', id: 'alerts-more' }, `${t('more')} (${conn.edges.length} / ${conn.totalCount})`);
      more.addEventListener('click', async () => {
        more.disabled = true;
        const gen = api.generation();
        try {
          // Later pages are as of the first page's asOf, so the list is one consistent answer.
          const next = (await api.gql(Q.ALERTS, variables(api, head, chosen, conn.pageInfo.endCursor))).alerts;
          if (gen !== api.generation()) return;
          conn.edges = conn.edges.concat(next.edges);
          conn.pageInfo = next.pageInfo;
          render(answer, api);
        } catch (err) {
          console.error('dashboard alerts:', err.message);
          api.panelState('alerts', 'error', err.message);
        }
      });
      document.getElementById('alerts-table').append(more);
    }
  }

  function csvRows(answer) {
    const conn = answer.list || answer.alerts;
    return [
      ['id', 'type', 'type_label', 'subject_id', 'region_id', 'region', 'department', 'cadre_id', 'cadre', 'since', 'age_hours', 'as_of'],
      ...conn.edges.map(({ node: a }) => [
        a.id, a.type, typeLabel(a.type), a.subjectId, a.region ? a.region.id : '', a.region ? a.region.name : '', a.department ? a.department.name : '',
        a.cadre ? a.cadre.id : '', a.cadre ? a.cadre.name : '', a.since, a.ageHours, conn.asOf,
      ]),
    ];
  }

  (window.MQ_PANELS = window.MQ_PANELS || []).push({ name: 'alerts', group: 'alerts', render, csvRows, target, TYPES });
})();
