import pg from 'pg';
import { rmSync } from 'node:fs';
import type { EmbeddedCluster } from '../../db/embedded';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.ERET_TEST_SERVER_URL;
  if (url) {
    // Drop what the test files left behind (a crashed file may not have cleaned up).
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const { rows } = await admin.query(`select datname from pg_database where datname like 'eret_test_%'`);
    for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
    await admin.end();
  }
  const cluster = (globalThis as Record<string, unknown>).__ERET_CLUSTER__ as EmbeddedCluster | undefined;
  if (cluster) await cluster.stop();
  if (process.env.ERET_TEST_DATA_DIR) rmSync(process.env.ERET_TEST_DATA_DIR, { recursive: true, force: true });
}
