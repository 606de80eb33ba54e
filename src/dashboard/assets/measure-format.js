'use strict';
// How a measure's values read on the pages, from the catalogue served in labels.js (MeasureInfo):
// rates as percent with one decimal, scores and hours with one, means with two, counts whole;
// a suppressed value says so and never reads as zero. Shared by the report page and the panels.
(function (root) {
  const MEANS = new Set(['AVG_TRANSFERS', 'SATISFACTION_AVG']);
  const info = (measure) => (root.MQ_LABELS && root.MQ_LABELS.MeasureInfo && root.MQ_LABELS.MeasureInfo[measure]) || { unit: 'COUNT', better: 'HIGHER', regional: true };

  /** A number in the measure's unit ('—' for none). */
  function number(v, measure) {
    if (v === null || v === undefined) return '—';
    const unit = info(measure).unit;
    if (unit === 'RATE') return `${(v * 100).toFixed(1)}%`;
    if (MEANS.has(measure)) return v.toFixed(2);
    if (unit === 'SCORE' || unit === 'HOURS') return v.toFixed(1);
    return String(Math.round(v * 100) / 100);
  }

  /** A MetricValue as shown: `suppressed` (样本不足) when hidden by the privacy threshold. */
  function value(mv, suppressed) {
    if (!mv) return '—';
    if (mv.suppressed) return suppressed;
    return number(mv.value, mv.measure);
  }

  /** The 95 % interval of a rate, or ''. */
  function interval(mv) {
    if (!mv || mv.suppressed || mv.low === null || mv.low === undefined || info(mv.measure).unit !== 'RATE') return '';
    return `${(mv.low * 100).toFixed(1)}–${(mv.high * 100).toFixed(1)}%`;
  }

  /** A change of rank: ↑2 (rose), ↓1 (fell), → (same), — (no value to compare). */
  function rankChange(change) {
    if (change === null || change === undefined) return '—';
    if (change > 0) return `↑${change}`;
    if (change < 0) return `↓${-change}`;
    return '→';
  }

  /** Every catalogue measure that can be ranked by region, in catalogue order. */
  function regionalMeasures() {
    const labels = root.MQ_LABELS && root.MQ_LABELS.Measure;
    return labels ? labels.values.filter((m) => info(m).regional) : [];
  }

  const api = { info, number, value, interval, rankChange, regionalMeasures };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.MQ_FORMAT = api;
})(typeof window !== 'undefined' ? window : globalThis);
