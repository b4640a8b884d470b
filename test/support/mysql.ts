import { createConnection } from 'mysql2/promise';

/** Drops and recreates a database named `name` on the TEST_DATABASE_URL server; returns its URL. */
export async function freshMysqlUrl(name: string): Promise<string> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: the MySQL suite needs a server (see .ci/run)');
  const url = new URL(base);
  url.pathname = `/${name}`;
  const conn = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: url.username,
    password: decodeURIComponent(url.password),
  });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  } finally {
    await conn.end();
  }
  return url.toString();
}
