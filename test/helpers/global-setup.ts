import { createConnection } from 'mysql2/promise';
import { TEST_MYSQL_URL } from './mysql-url';

/**
 * Checks the MariaDB server once. In CI it must answer (the MySQL suite is mandatory);
 * on a laptop without one the MySQL half of every integration test is skipped, loudly.
 */
export default async function globalSetup(): Promise<void> {
  try {
    const c = await createConnection({ uri: TEST_MYSQL_URL, connectTimeout: 5000 });
    await c.query('SELECT 1');
    await c.end();
    process.env.MINQING_TEST_MYSQL = 'on';
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error(`CI: MariaDB at ${TEST_MYSQL_URL} is unreachable (${why}); the MySQL suite must run in CI.`);
    }
    process.env.MINQING_TEST_MYSQL = 'off';
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!! MariaDB at ${TEST_MYSQL_URL} is unreachable (${why}).\n!! SKIPPING the MySQL/MariaDB half of every integration test. Set TEST_MYSQL_URL.\n${bar}\n`);
  }
}
