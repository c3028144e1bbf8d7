// npm run db:schema: migrate a fresh database and write its schema to db/schema.sql. The database
// is made on DATABASE_URL's server when that is set, else on a throwaway embedded cluster (as the
// tests do); either way it is dropped afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startEmbedded, type EmbeddedCluster } from './embedded';
import { createKnex, migrateLatest } from './knex';
import { dumpSchema } from './schema-dump';

const SCHEMA_FILE = path.join(__dirname, 'schema.sql');

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  let cluster: EmbeddedCluster | undefined;
  let dataDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dataDir = mkdtempSync(path.join(tmpdir(), 'eret-schema-'));
    cluster = await startEmbedded({ dataDir, port: await freePort(), password: randomBytes(12).toString('hex') });
    serverUrl = cluster.connectionString('postgres');
  }
  const database = `eret_schema_${randomBytes(6).toString('hex')}`;
  try {
    await admin(serverUrl, `create database ${database}`);
    const knex = createKnex(withDatabase(serverUrl, database), 2);
    try {
      await migrateLatest(knex);
      const schema = await dumpSchema(knex);
      writeFileSync(SCHEMA_FILE, schema);
      console.log(`${path.relative(process.cwd(), SCHEMA_FILE)}: ${schema.split('\n').length} lines`);
    } finally {
      await knex.destroy();
    }
    await admin(serverUrl, `drop database if exists ${database} with (force)`);
  } finally {
    await cluster?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
