'use strict';
// The pages' DOM helpers, loaded before the scripts that build their pages (dashboard.js, drill.js,
// record-views.js, report.js): one element builder and one data table.
(function () {
  /**
   * An element: `attrs` maps class, dataset, on<event> handlers and attributes (null, undefined
   * and false are left out, true is an empty attribute); children are Nodes or text.
   */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  /** A table from header labels and rows of cells (a cell is text or a Node); `rowAttrs(i)` gives a row's attributes. */
  function table(headers, rows, rowAttrs) {
    return el(
      'table',
      { class: 'data' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
      el('tbody', {}, rows.map((r, i) => el('tr', rowAttrs ? rowAttrs(i) : {}, r.map((c) => el('td', {}, c))))),
    );
  }
  window.MQ_DOM = { el, table };
})();
