// npm run seed:demo: the demo data, on DATABASE_URL or on the embedded database (whether or not
// `npm start` is running). Seeding twice changes nothing.
/* eslint-disable no-console */
import { loadConfig } from '../../api/core/config';
import { systemClock } from '../../api/core/clock';
import { createLogger } from '../../api/core/logger';
import { openDatabase } from '../connect';
import { DEMO_CREDENTIALS } from './credentials';
import { type DemoSummary, seedDemo } from './demo';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const where = db.embedded
      ? `embedded database (${config.DATA_DIR}, port ${config.EMBEDDED_PG_PORT})`
      : 'DATABASE_URL';
    const outcome = await seedDemo(
      { knex: db.knex, config, clock: systemClock, logger: createLogger(config.LOG_LEVEL) },
      'absent',
    );
    if (!outcome.seeded) {
      console.log(`Nothing seeded into the ${where}: ${outcome.reason}.`);
      return;
    }
    console.log(`Demo data seeded into the ${where} in ${outcome.ms} ms.`);
    printSummary(outcome.summary);
  } finally {
    // Stops the embedded cluster unless another process (npm start) is still using it.
    await db.close();
  }
}

function printSummary(s: DemoSummary): void {
  console.log(
    `  ${s.regions} regions, ${s.markets} markets, ${s.stalls} stalls, ${s.traders} traders, ${s.tenancies} tenancies, ` +
      `${s.tariffs} tariffs, ${s.acquirers} acquirers, ${s.users} users, ${s.terminals} terminals`,
  );
  console.table(s.perMarket);
  const byRole = new Map<string, { password: string; usernames: string[] }>();
  for (const u of DEMO_CREDENTIALS.users) {
    const entry = byRole.get(u.role) ?? { password: u.password, usernames: [] };
    entry.usernames.push(u.username);
    byRole.set(u.role, entry);
  }
  console.log('Staff logins (POST /api/v1/auth/login):');
  for (const [role, e] of byRole) console.log(`  ${role}, password ${e.password}: ${e.usernames.join(', ')}`);
  const t = DEMO_CREDENTIALS.terminals;
  console.log(
    `Terminal logins (POST /api/v1/auth/terminal): ${t.map((x) => x.terminalId).join(', ')} (secret ${t[0].secret})`,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
