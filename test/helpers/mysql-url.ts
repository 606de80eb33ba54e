/** The MariaDB/MySQL server integration tests create their databases on (no database in the path). */
export const TEST_MYSQL_URL = (process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
