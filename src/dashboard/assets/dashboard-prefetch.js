'use strict';
// Sends the first load's GraphQL requests while the rest of the page (the charts library above
// all) is still downloading and parsing; dashboard.js takes the answers when their bodies match.
(function () {
  const Q = window.MQ_QUERIES;
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const home = { region: meta('mq-region') || null, level: meta('mq-region-level') || null };
  const reqs = Q.requestsFor(Q.readState(window.location.search, home, new Date()));
  const csrf = meta('mq-csrf');
  const out = {};
  for (const [group, body] of Object.entries(reqs)) {
    const answer = Q.post(body, csrf);
    answer.catch(() => {}); // dashboard.js reports failures; an unclaimed answer must not be an unhandled rejection
    out[group] = { key: JSON.stringify(body), answer };
  }
  window.MQ_PREFETCH = out;
})();
