import { Writable } from 'node:stream';
import { createLogger, requestScope } from '../../src/logger';

function capture(level: 'silent' | 'error' | 'warn' | 'info' | 'debug') {
  const lines: Array<Record<string, any>> = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      raw.push(String(chunk));
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { log: createLogger(level, sink as never), lines, raw };
}

describe(createLogger.name, () => {
  it('writes one JSON object per call with ISO time, level number and message', () => {
    const { log, lines } = capture('info');
    log.info('hello', { dataset: 'visits', rows: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'hello', dataset: 'visits', rows: 3 });
    expect(lines[0].time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('serializes an Error, also under another key, and wraps a primitive as detail', () => {
    const { log, lines } = capture('debug');
    log.error('failed', new Error('boom'));
    log.warn('failed again', { cause: new TypeError('bad'), requestId: undefined });
    log.debug('count', 42);
    expect(lines[0].err).toMatchObject({ type: 'Error', message: 'boom' });
    expect(lines[0].err.stack).toContain('boom');
    expect(lines[1].cause).toMatchObject({ type: 'TypeError', message: 'bad' });
    expect(lines[2]).toMatchObject({ level: 20, detail: 42 });
  });

  it('drops lines below the configured level; silent writes nothing', () => {
    const warn = capture('warn');
    warn.log.info('no');
    warn.log.debug('no');
    warn.log.warn('yes');
    expect(warn.lines.map((l) => l.msg)).toEqual(['yes']);
    const silent = capture('silent');
    silent.log.error('no');
    expect(silent.lines).toHaveLength(0);
  });

  it('redacts credentials and adds the request id inside a request scope, once', () => {
    const { log, lines, raw } = capture('info');
    requestScope.run({ requestId: 'r-1' }, () => {
      log.info('inside', { headers: { authorization: 'Bearer secret', cookie: 'mq_session=s', accept: '*/*' } });
      log.child({ requestId: 'r-1' }).info('child');
    });
    log.info('outside');
    expect(lines[0]).toMatchObject({ requestId: 'r-1', headers: { authorization: '[redacted]', cookie: '[redacted]', accept: '*/*' } });
    expect(JSON.stringify(lines)).not.toContain('secret');
    // A child that binds requestId itself does not get it twice (a repeated key is invalid for many log tools).
    expect(lines[1].requestId).toBe('r-1');
    expect(raw[1].match(/"requestId"/g)).toHaveLength(1);
    expect(raw[0].match(/"requestId"/g)).toHaveLength(1);
    expect(lines[2].requestId).toBeUndefined();
  });
});
