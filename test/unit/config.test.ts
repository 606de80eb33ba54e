import { ConfigError, readConfig } from '../../src/config';

describe(readConfig.name, () => {
  describe('REDIS_URL', () => {
    it('is off unless set', () => {
      expect(readConfig({}).redisUrl).toBeNull();
      expect(readConfig({ REDIS_URL: '  ' }).redisUrl).toBeNull();
    });

    it('takes redis:// and rediss:// URLs with credentials and a database number', () => {
      for (const url of ['redis://127.0.0.1:6379', 'redis://cache', 'rediss://user:secret@redis.internal:6380/2', 'redis://:pw@[::1]:6379/15']) {
        expect(readConfig({ REDIS_URL: url }).redisUrl).toBe(url);
      }
    });

    it.each([
      ['127.0.0.1:6379', /REDIS_URL: .*unsupported scheme|REDIS_URL: .*not a URL/],
      ['http://127.0.0.1:6379', /^REDIS_URL: unsupported scheme "http:"/],
      ['redis://', /^REDIS_URL: /],
      ['redis://127.0.0.1:6379/16', /^REDIS_URL: the database after the host must be a number from 0 to 15/],
      ['redis://127.0.0.1:6379/x', /^REDIS_URL: the database after the host/],
      ['redis://127.0.0.1:99999', /^REDIS_URL: /],
      ['redis://127.0.0.1:6379?tls=true', /^REDIS_URL: options after/],
    ])('refuses %s, naming the variable', (url, message) => {
      expect(() => readConfig({ REDIS_URL: url })).toThrow(ConfigError);
      expect(() => readConfig({ REDIS_URL: url })).toThrow(message);
    });
  });

  describe('SCORECARD_QUOTA_CAP', () => {
    it('defaults to 1.2 and takes 1 to 3', () => {
      expect(readConfig({}).scorecardQuotaCap).toBe(1.2);
      expect(readConfig({ SCORECARD_QUOTA_CAP: '1' }).scorecardQuotaCap).toBe(1);
      expect(readConfig({ SCORECARD_QUOTA_CAP: '1.5' }).scorecardQuotaCap).toBe(1.5);
      expect(readConfig({ SCORECARD_QUOTA_CAP: '3' }).scorecardQuotaCap).toBe(3);
    });

    it.each(['0.9', '3.01', 'lots', '-1'])('refuses %s, naming the variable', (value) => {
      expect(() => readConfig({ SCORECARD_QUOTA_CAP: value })).toThrow(ConfigError);
      expect(() => readConfig({ SCORECARD_QUOTA_CAP: value })).toThrow(/^SCORECARD_QUOTA_CAP: /);
    });
  });

  describe('worklist thresholds', () => {
    it('defaults to action.md: 24 h, 72 h, 90 days, 90 days, 3 issues', () => {
      expect(readConfig({}).alerts).toEqual({ dueSoonHours: 24, redoGraceHours: 72, silentPairingDays: 90, repeatAppealsDays: 90, repeatAppealsMin: 3 });
    });

    it('reads each from its variable', () => {
      expect(
        readConfig({ DUE_SOON_HOURS: '12', REDO_GRACE_HOURS: '48.5', SILENT_PAIRING_DAYS: '60', REPEAT_APPEALS_DAYS: '30', REPEAT_APPEALS_MIN: '4' }).alerts,
      ).toEqual({ dueSoonHours: 12, redoGraceHours: 48.5, silentPairingDays: 60, repeatAppealsDays: 30, repeatAppealsMin: 4 });
    });

    it.each(['DUE_SOON_HOURS', 'REDO_GRACE_HOURS', 'SILENT_PAIRING_DAYS', 'REPEAT_APPEALS_DAYS', 'REPEAT_APPEALS_MIN'])('refuses a negative or non-numeric %s, naming it', (name) => {
      for (const bad of ['-1', 'soon', '1e999']) {
        expect(() => readConfig({ [name]: bad })).toThrow(ConfigError);
        expect(() => readConfig({ [name]: bad })).toThrow(new RegExp(`^${name}: `));
      }
    });

    it('wants whole days for the pairing window and a whole count of at least 1', () => {
      expect(() => readConfig({ SILENT_PAIRING_DAYS: '1.5' })).toThrow(/^SILENT_PAIRING_DAYS: expected a whole number/);
      expect(() => readConfig({ REPEAT_APPEALS_MIN: '0' })).toThrow(/^REPEAT_APPEALS_MIN: expected a value from 1/);
    });
  });
});
