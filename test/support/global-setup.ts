import path from 'node:path';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { startEmbedded, freePort } from '../../db/embedded';
import { createKnex, migrateLatest } from '../../db/knex';

export const TEMPLATE_DB = 'eret_test_template';

export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // One cluster per run, so two test runs on one checkout do not tear down each other's.
    const dataDir = path.resolve(__dirname, `../../data/test-pg-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    process.env.ERET_TEST_DATA_DIR = dataDir;
    const cluster = await startEmbedded({ dataDir, port: await freePort(), password: 'test-password' });
    (globalThis as Record<string, unknown>).__ERET_CLUSTER__ = cluster;
    serverUrl = cluster.connectionString('postgres');
  }
  process.env.ERET_TEST_SERVER_URL = serverUrl;

  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();

  const knex = createKnex(withDatabase(serverUrl, TEMPLATE_DB), 2);
  await migrateLatest(knex);
  await knex.destroy();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
