import { compositeScore, quotaCredit, satisfactionCredit } from '../../src/analytics/dashboard/scorecard.service';

const DEFAULTS = { minResponses: 5, vetoLine: 0.6 };

describe('scorecard scoring', () => {
  it('shrinks satisfaction towards the veto line, so a handful of perfect answers does not beat many good ones', () => {
    // (k + 5 × 0.6) / (n + 5)
    expect(satisfactionCredit(5, 5, DEFAULTS)).toBeCloseTo(8 / 10, 12);
    expect(satisfactionCredit(95, 100, DEFAULTS)).toBeCloseTo(98 / 105, 12);
    expect(satisfactionCredit(95, 100, DEFAULTS)).toBeGreaterThan(satisfactionCredit(5, 5, DEFAULTS));
    expect(satisfactionCredit(10, 10, DEFAULTS)).toBeGreaterThan(satisfactionCredit(5, 5, DEFAULTS));
    expect(satisfactionCredit(3, 5, DEFAULTS)).toBeCloseTo(0.6, 12);
    // Suppressed: the line itself, whatever the hidden answers were.
    expect(satisfactionCredit(4, 4, DEFAULTS)).toBe(0.6);
    expect(satisfactionCredit(0, 4, DEFAULTS)).toBe(0.6);
    expect(satisfactionCredit(0, 0, DEFAULTS)).toBe(0.6);
    expect(satisfactionCredit(2, 3, { minResponses: 1, vetoLine: 0.5 })).toBeCloseTo(2.5 / 4, 12);
  });

  it('credits quotas up to the cap, meeting the quota earning 1/cap', () => {
    expect(quotaCredit(60, 60, 1.2)).toBeCloseTo(1 / 1.2, 12);
    expect(quotaCredit(66, 60, 1.2)).toBeCloseTo(1.1 / 1.2, 12);
    expect(quotaCredit(72, 60, 1.2)).toBe(1);
    expect(quotaCredit(130, 60, 1.2)).toBe(1);
    expect(quotaCredit(0, 60, 1.2)).toBe(0);
    expect(quotaCredit(2, 3, 1)).toBeCloseTo(2 / 3, 12);
    expect(quotaCredit(4, 3, 1)).toBe(1);
  });

  it('weights the parts to 0–100 and makes equal sums equal', () => {
    const w = { stay: 0.25, pairing: 0.2, coverage: 0.25, satisfaction: 0.3 };
    expect(compositeScore({ stay: 1, pairing: 1, coverage: 1, satisfaction: 1 }, w)).toBe(100);
    expect(compositeScore({ stay: 0, pairing: 0, coverage: 0, satisfaction: 0 }, w)).toBe(0);
    expect(compositeScore({ stay: 1 / 1.2, pairing: 1, coverage: 0.5, satisfaction: 0.8 }, w)).toBeCloseTo(100 * (0.25 / 1.2 + 0.2 + 0.125 + 0.24), 8);
    // 0.1 + 0.2 ≠ 0.3 in binary; the rounded scores are equal, so they would share a rank.
    const sumOf = { stay: 1, pairing: 1, coverage: 0, satisfaction: 0 };
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(compositeScore({ stay: 0.1, pairing: 0.2, coverage: 0, satisfaction: 0 }, sumOf)).toBe(compositeScore({ stay: 0.3, pairing: 0, coverage: 0, satisfaction: 0 }, sumOf));
  });
});
