'use strict';
// CSV as RFC 4180 (CRLF, quotes doubled, fields quoted when needed) with a UTF-8 BOM for spreadsheets;
// the service renders downloads the same way (src/http/export.routes.ts toCsv).
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
  /**
   * Downloads `rows` (header first) as `filename`. The service renders the file and records the
   * export in its audit trail (POST /api/exports/csv) before sending it: a file built here in
   * the page would leave no trace. Rejects (and downloads nothing) when the service refuses.
   */
  async function download(name, filename, rows, csrf) {
    const [header, ...body] = rows;
    const res = await fetch('/api/exports/csv', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ name, filename, header, rows: body }),
    });
    if (!res.ok) throw new Error(`export refused: ${res.status}`);
    const url = URL.createObjectURL(await res.blob());
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
