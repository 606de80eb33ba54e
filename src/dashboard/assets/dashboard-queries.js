'use strict';
// The dashboard's GraphQL documents and page state: one request per panel group (overview,
// regions, issues, cadres, alerts). Shared by the prefetch, the page and the browser tests.
(function (root) {
  const MV = 'fragment MV on MetricValue { measure value numerator denominator low high suppressed }';
  const REGION = 'id name level';

  const OVERVIEW = `query DashboardOverview($filter: DashboardFilter!, $regionId: ID!, $withRegion: Boolean!, $granularity: Granularity!) {
  region(id: $regionId) @include(if: $withRegion) { ${REGION} ancestors { ${REGION} } }
  county: regions(level: COUNTY, first: 1) @skip(if: $withRegion) { edges { node { ${REGION} } } }
  dashboard(filter: $filter) {
    filter { from to previousFrom previousTo asOf }
    overview { measure label value { ...MV } previous { ...MV } change }
    trend(granularity: $granularity, measures: [SATISFIED_RATE, SATISFACTION_AVG, RESPONSES]) { period values { ...MV } }
  }
}
${MV}`;

  const REGIONS = `query DashboardRegions($filter: DashboardFilter!, $level: RegionLevel!, $measure: Measure = SATISFIED_RATE) {
  dashboard(filter: $filter) {
    filter { asOf }
    ranking(level: $level, measure: $measure) { rank tieBand tiedWith count region { ${REGION} } value { ...MV } previous { rank value { ...MV } } rankChange }
    festivalVisiting(level: $level) { region { ${REGION} } visits holidayVisits share { ...MV } flagged }
    falseClosures(level: $level) { region { ${REGION} } unitResolvedAnswered denied rate { ...MV } closure { ...MV } resolution { ...MV } gap }
  }
}
${MV}`;

  const ISSUES = `query DashboardIssues($filter: DashboardFilter!, $rankBy: Measure = TRANSFER_RATE) {
  dashboard(filter: $filter) {
    filter { from to timeZone asOf regionId }
    categories { category received closure { ...MV } resolution { ...MV } satisfied { ...MV } falseClosure { ...MV } }
    backlogAgeing { key label minDays maxDays count departments { department { id name } count } }
    departments(rankBy: $rankBy) { department { id name } rank tieBand rankedBy issues transferRate { ...MV } avgTransfers { ...MV } onTimeRate { ...MV } falseClosureRate { ...MV } contactedRate { ...MV } }
  }
}
${MV}`;

  const CADRES = `query DashboardCadres($year: Int!, $regionId: ID, $after: String) {
  cadreScorecards(year: $year, regionId: $regionId, first: 20, after: $after, orderBy: COMPOSITE) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      cadre { id name rank region { name } }
      year stayDays stayQuota stayMet activePairings pairingQuota pairingsMet
      pairedCoverage { ...MV } visits holidayVisitShare { ...MV } satisfaction { ...MV } satisfactionAvg { ...MV }
      composite vetoed vetoReason rank tieBand
    } }
  }
}
${MV}`;

  // The worklist (预警, action.md "Worklists"): counts per type and the oldest alerts first, as of now,
  // for the page's region (an OFFICER's scope is the server's). Subjects carry what their links need
  // (a pairing's household is aliased: Issue.household is nullable, Pairing.household is not).
  const ALERTS = `query DashboardAlerts($regionId: ID, $types: [AlertType!], $asOf: DateTime, $first: Int, $after: String) {
  alerts(regionId: $regionId, types: $types, asOf: $asOf, first: $first, after: $after) {
    totalCount asOf
    countsByType { type count }
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id type subjectId since ageHours
      region { id name level ancestors { name level } }
      department { id name }
      cadre { id name }
      subject {
        __typename
        ... on Issue { id category summary dueAt household { id headName } }
        ... on Pairing { id startedOn pairedHousehold: household { id headName } cadre { id name } }
        ... on Cadre { id name }
        ... on Household { id headName }
      }
    } }
  }
}`;
  /** Alerts per page of the worklist ("more" appends the next page). */
  const ALERTS_PAGE = 20;

  const CHILD_LEVEL = { COUNTY: 'TOWNSHIP', TOWNSHIP: 'VILLAGE', VILLAGE: 'GROUP', GROUP: null };
  const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
  const pad = (n) => String(n).padStart(2, '0');
  const isoDate = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

  /** The page state from a query string; `home` is an OFFICER's region and its level. */
  function readState(search, home, now) {
    const p = new URLSearchParams(search);
    const list = (k) => (p.get(k) ? p.get(k).split(',').filter(Boolean) : []);
    // Default: twelve whole months up to today, enough for a monthly trend.
    const from = isoDate(new Date(now.getFullYear(), now.getMonth() - 11, 1));
    const region = p.get('region') || home.region;
    return {
      region,
      level: p.get('level') || (region && region === home.region && home.level ? CHILD_LEVEL[home.level] : null),
      from: DATE_RE.test(p.get('from') || '') ? p.get('from') : from,
      to: DATE_RE.test(p.get('to') || '') ? p.get('to') : isoDate(now),
      categories: list('category'),
      channels: list('channel'),
      // The ranking panel's measure and the department panel's order (defaults left out of the requests).
      measure: p.get('measure') || 'SATISFIED_RATE',
      rankBy: p.get('rankBy') || 'TRANSFER_RATE',
    };
  }

  function filterOf(s) {
    const f = { from: s.from, to: s.to };
    if (s.region) f.regionId = s.region;
    if (s.categories.length) f.categories = s.categories;
    if (s.channels.length) f.channels = s.channels;
    return f;
  }

  function granularityOf(s) {
    const days = (Date.parse(s.to) - Date.parse(s.from)) / 86400000 + 1;
    return days > 92 ? 'MONTH' : days > 21 ? 'WEEK' : 'DAY';
  }

  /** The ranking level: the level below the region (TOWNSHIP for the whole county); null = unknown yet. */
  function rankingLevel(s) {
    return s.level || (s.region ? null : 'TOWNSHIP');
  }

  /** One request body per panel group; `regions` is absent while the ranking level is unknown. */
  function requestsFor(s) {
    const filter = filterOf(s);
    const level = rankingLevel(s);
    const out = {
      overview: { query: OVERVIEW, variables: { filter, regionId: s.region || '', withRegion: !!s.region, granularity: granularityOf(s) } },
      issues: { query: ISSUES, variables: s.rankBy && s.rankBy !== 'TRANSFER_RATE' ? { filter, rankBy: s.rankBy } : { filter } },
      cadres: { query: CADRES, variables: { year: Number(s.to.slice(0, 4)), regionId: s.region || null } },
      alerts: { query: ALERTS, variables: { regionId: s.region || null, first: ALERTS_PAGE } },
    };
    if (level) out.regions = { query: REGIONS, variables: s.measure && s.measure !== 'SATISFIED_RATE' ? { filter, level, measure: s.measure } : { filter, level } };
    return out;
  }

  /** POST /graphql with the session cookie and CSRF header; resolves to { status, json }. */
  function post(body, csrf) {
    return fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, json: await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}` }] })) }));
  }

  const api = { OVERVIEW, REGIONS, ISSUES, CADRES, ALERTS, ALERTS_PAGE, CHILD_LEVEL, DATE_RE, readState, requestsFor, rankingLevel, granularityOf, post };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.MQ_QUERIES = api;
})(typeof window !== 'undefined' ? window : globalThis);
