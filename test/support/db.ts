// Each test file gets a fresh database cloned from the migrated template.
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createKnex } from '../../db/knex';
import { TEMPLATE_DB, withDatabase } from './global-setup';

export interface TestDb {
  knex: Knex;
  url: string;
  drop: () => Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: process.env.ERET_TEST_SERVER_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function freshDb(poolMax = 10): Promise<TestDb> {
  const name = `eret_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name} template ${TEMPLATE_DB}`));
  const url = withDatabase(process.env.ERET_TEST_SERVER_URL!, name);
  const knex = createKnex(url, poolMax);
  return {
    knex,
    url,
    drop: async () => {
      await knex.destroy();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
