'use strict';
// GraphiQL from node_modules, served locally; the fetcher sends the session cookie and CSRF header.
(function () {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const csrf = meta('mq-csrf');
  const pad = (n) => String(n).padStart(2, '0');
  const now = new Date();
  const monthStart = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-01`;
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;

  // Saved examples for the questions people ask most; each is a tab on first visit. Dates are
  // written into the text (no variables) so each tab runs as it stands.
  const EXAMPLES = [
    {
      query: `# 本月乡镇满意率排名 — township ranking this month
query TownshipRankingThisMonth {
  dashboard(filter: { from: "${monthStart}", to: "${today}" }) {
    ranking(level: TOWNSHIP, measure: SATISFIED_RATE) {
      rank
      tieBand
      count
      region { id name }
      value { value low high suppressed }
    }
  }
}`,
    },
    {
      query: `# 干部量化考核 — a cadre's scorecard (first page, best composite first)
query CadreScorecard {
  cadreScorecards(year: ${now.getFullYear()}, first: 1, orderBy: COMPOSITE) {
    edges {
      node {
        cadre { id name rank region { name } }
        stayDays stayQuota stayMet
        activePairings pairingQuota pairingsMet
        pairedCoverage { value numerator denominator }
        visits
        holidayVisitShare { value }
        satisfaction { value suppressed low high }
        composite vetoed vetoReason rank tieBand
      }
    }
  }
}`,
    },
    {
      query: `# 各部门积压诉求 — the backlog by department
query BacklogByDepartment {
  metrics(query: { measures: [BACKLOG], dimensions: [DEPARTMENT], from: "${monthStart}", to: "${today}" }) {
    dataAsOf
    rows {
      department { id name }
      values { measure value }
    }
  }
}`,
    },
    {
      query: `# 乡镇列表 — the townships
query Townships {
  regions(level: TOWNSHIP, first: 100) {
    totalCount
    edges { node { id name code children { id name } } }
  }
}`,
    },
  ];

  const fetcher = window.GraphiQL.createFetcher({
    url: '/graphql',
    headers: { 'x-csrf-token': csrf },
    fetch: (url, init) => window.fetch(url, Object.assign({}, init, { credentials: 'same-origin' })),
  });
  const root = window.ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    window.React.createElement(window.GraphiQL, {
      fetcher,
      defaultTabs: EXAMPLES,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: false,
    }),
  );
})();
