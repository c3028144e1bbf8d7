// db/schema.sql shows the schema in one file; these tests keep it the schema the migrations build.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { createKnex } from '../../db/knex';
import { dumpSchema } from '../../db/schema-dump';
import { freshDb } from '../support/db';
import { withDatabase } from '../support/global-setup';

const SCHEMA_FILE = path.resolve(__dirname, '../../db/schema.sql');
const committed = () => readFileSync(SCHEMA_FILE, 'utf8');

/** Throws naming the first line where the dump and the committed file part. */
function expectCommitted(dumped: string, file: string): void {
  if (dumped === file) return;
  const a = dumped.split('\n');
  const b = file.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  throw new Error(
    `db/schema.sql is not the schema the migrations build: run npm run db:schema\n` +
      `first difference at line ${i + 1}:\n  db/schema.sql: ${b[i] ?? '(end of file)'}\n  migrated:      ${a[i] ?? '(end of file)'}`,
  );
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: process.env.ERET_TEST_SERVER_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

test('db/schema.sql is the schema the migrations build (else: run npm run db:schema)', async () => {
  const db = await freshDb(2);
  try {
    expectCommitted(await dumpSchema(db.knex), committed());
  } finally {
    await db.drop();
  }
});

test('db/schema.sql run in an empty database builds that same schema', async () => {
  const name = `eret_test_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = withDatabase(process.env.ERET_TEST_SERVER_URL!, name);
  const knex = createKnex(url, 2);
  try {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(committed());
    } finally {
      await c.end();
    }
    expectCommitted(await dumpSchema(knex), committed());
  } finally {
    await knex.destroy();
    await admin(`drop database if exists ${name} with (force)`);
  }
});

test('a schema the file does not show fails with the line that differs', async () => {
  const db = await freshDb(2);
  try {
    await db.knex.raw('alter table regions add column nickname text');
    const dumped = await dumpSchema(db.knex);
    expect(() => expectCommitted(dumped, committed())).toThrow(/run npm run db:schema[\s\S]*nickname text/);
  } finally {
    await db.drop();
  }
});
