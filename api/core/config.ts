// Environment, validated once at boot: a bad value stops the process with the variable's name.
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  EMBEDDED_PG_PASSWORD: z.string().min(8).default('e-retribusi-local'),
  JWT_SECRET: z.string().min(32).optional(),
  STAFF_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86400)
    .default(8 * 3600),
  TERMINAL_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86400)
    .default(12 * 3600),
  PUBLIC_BASE_URL: z.string().url().default('http://localhost:3000'),
  // Login attempts per username or terminal id, and per client address, in one window.
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).max(100000).default(30),
  LOGIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(86400)
    .default(15 * 60),
  // Express's trust proxy: how many proxies (the load balancer) stand in front, or which
  // addresses they have; the client address is read from X-Forwarded-For only that far.
  TRUST_PROXY: z
    .string()
    .default('1')
    .transform((v): boolean | number | string =>
      v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
    ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SCHEDULER: z.enum(['on', 'off']).default('on'),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(200).default(20),
  // Card payments reaching one API process within this many milliseconds of each other are posted
  // together, in one transaction (at most CARD_GROUP_MAX of them); 0 posts each request alone.
  // Smaller groups run side by side on the database's cores: on 2 cores with 32 terminals, groups
  // of at most 16 kept the machine 80% busy where groups of 64 (of ~20 in practice) left it 56%
  // busy, waiting on one group at a time: 1211-1525 payments/s against 924-1155 (npm run bench).
  CARD_GROUP_WINDOW_MS: z.coerce.number().int().min(0).max(50).default(3),
  CARD_GROUP_MAX: z.coerce.number().int().min(1).max(500).default(16),
  // An offline upload's items are posted in order in runs of at most this many, one transaction
  // each: one upload is one terminal's, one after another, so longer runs cost nothing in waiting.
  BATCH_RUN_MAX: z.coerce.number().int().min(1).max(500).default(64),
  QRIS_INTENT_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  // Codes a trader makes on the stall's public page (no login): at most this many payable at once
  // per stall, and at most this many an hour from one client address (counted in PostgreSQL).
  QRIS_PUBLIC_LIVE_PER_STALL: z.coerce.number().int().min(1).max(50).default(3),
  QRIS_PUBLIC_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(10000).default(10),
  // How far a bank's X-Timestamp may be from our clock before a notification is refused.
  QRIS_NOTIFICATION_MAX_SKEW_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  // A pending code of a SNAP acquirer is asked about (qr-mpm-query) this many minutes after it was
  // made, in case the bank's notification was lost (and again near its expiry).
  QRIS_QUERY_AFTER_MINUTES: z.coerce.number().int().min(1).max(120).default(3),
  // Calls to a SNAP acquirer: each attempt's timeout, and how many times a network error or a 5xx
  // is retried (with the same X-EXTERNAL-ID).
  SNAP_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(8000),
  SNAP_HTTP_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  // Where the banks' files arrive: <inbox>/<REGION>/<YYYY-MM-DD>/ (default <DATA_DIR>/inbox).
  SETTLEMENT_INBOX: z.string().optional(),
  // Each region's local time for the nightly import and reconciliation.
  RECONCILE_AT: z
    .string()
    .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a local time HH:MM')
    .default('02:00'),
  // Where the schedule writes the PDFs it issues: <dir>/<REGION>/<date>/ (default <DATA_DIR>/reports).
  REPORTS_DIR: z.string().optional(),
  // Each region's local time for the daily reports of the day before (after the reconciliation).
  REPORTS_AT: z
    .string()
    .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a local time HH:MM')
    .default('06:00'),
});

export type Config = Omit<z.infer<typeof schema>, 'JWT_SECRET' | 'SETTLEMENT_INBOX' | 'REPORTS_DIR'> & {
  JWT_SECRET: string;
  SETTLEMENT_INBOX: string;
  REPORTS_DIR: string;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    PUBLIC_BASE_URL: c.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    JWT_SECRET: c.JWT_SECRET ?? localJwtSecret(c),
    SETTLEMENT_INBOX: c.SETTLEMENT_INBOX ?? path.join(c.DATA_DIR, 'inbox'),
    REPORTS_DIR: c.REPORTS_DIR ?? path.join(c.DATA_DIR, 'reports'),
  };
}

// Several instances must share one signing secret, so production requires JWT_SECRET. On a
// developer machine a random one is kept under DATA_DIR so tokens survive a restart and the
// CLI and the API agree.
function localJwtSecret(c: z.infer<typeof schema>): string {
  if (c.NODE_ENV === 'production') throw new Error('invalid environment:\n  JWT_SECRET: required in production');
  const file = path.resolve(c.DATA_DIR, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
