'use strict';
// CSV as RFC 4180 (CRLF, quotes doubled, fields quoted when needed) with a UTF-8 BOM for spreadsheets.
(function (root) {
  function field(v) {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }
  /** Rows (arrays of cells) to CSV text, BOM first. */
  function toCsv(rows) {
    return '\uFEFF' + rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
  }
  /** Starts a browser download of `rows` as `filename`. */
  function download(filename, rows) {
    const blob = new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  const api = { field, toCsv, download };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.MQ_CSV = api;
})(typeof window !== 'undefined' ? window : globalThis);
