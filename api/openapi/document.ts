// The OpenAPI 3.1 document, made from OPERATIONS and the zod schemas they name (z.toJSONSchema:
// OpenAPI 3.1 schemas are JSON Schema 2020-12). Built once per process, on first request.
import { z } from 'zod';
import { errorSchema } from './answers';
import type { Access, Operation } from './operation';
import { OPERATIONS } from './paths';

type Json = Record<string, unknown>;

export const TAGS: Record<string, string> = {
  public: 'No token: health, receipts and documents anyone can check, and this documentation',
  auth: 'Logins for staff and terminals',
  banks: "Banks' signed notifications",
  collection: 'What the stalls of a market owe',
  payments: 'Card payments from collector terminals',
  qris: 'QRIS codes shown by the terminals',
  assessments: 'The daily assessment (karcis)',
  regions: 'Regions (Pemda)',
  markets: 'Markets, their closures and targets',
  stalls: 'Stalls',
  traders: 'Traders',
  tenancies: 'Who occupies a stall when',
  tariffs: 'Tariffs by Perda',
  acquirers: 'Card and QRIS contracts',
  terminals: 'Terminals and who carries them',
  users: 'Staff accounts',
  reconciliation: "Reconciliation against the banks' files",
  arrears: 'Arrears and penalties',
  letters: 'Warning letters and STRD',
  reports: 'Reports to file',
  feed: "The command center's feed",
};

/** "/api/v1/markets/:marketId" -> "/api/v1/markets/{marketId}" */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const pathParamNames = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
const isIdName = (name: string) => /(^id|Id)$/.test(name);

function operationId(op: Operation): string {
  const words = op.path
    .split('/')
    .filter((s) => s && s !== 'api' && s !== 'v1')
    .map((s) =>
      s.startsWith(':')
        ? `By${s[1].toUpperCase()}${s.slice(2)}`
        : s
            .split(/[-.]/)
            .map((w) => w[0].toUpperCase() + w.slice(1))
            .join(''),
    );
  return op.method + words.join('');
}

/** Named schemas, as components.schemas: request bodies as they are sent, answers as they come. */
function components(ops: Operation[]): Json {
  const requests = z.registry<{ id: string }>();
  const answers = z.registry<{ id: string }>();
  const seen = new Map<string, z.ZodType>();
  const add = (registry: typeof requests, name: string | undefined, schema: z.ZodType | undefined) => {
    if (!name || !schema) return;
    const prior = seen.get(name);
    if (prior && prior !== schema) throw new Error(`openapi: two schemas are named ${name}`);
    if (!prior) registry.add(schema, { id: name });
    seen.set(name, schema);
  };
  add(answers, 'Error', errorSchema);
  for (const op of ops) {
    add(requests, op.body?.name, op.body?.schema);
    for (const a of Object.values(op.ok)) add(answers, a.name, a.schema);
  }
  const uri = (id: string) => `#/components/schemas/${id}`;
  const made = {
    ...z.toJSONSchema(requests, { io: 'input', uri, unrepresentable: 'any' }).schemas,
    ...z.toJSONSchema(answers, { io: 'output', uri, unrepresentable: 'any' }).schemas,
  };
  // Each is embedded in the document, not a document of its own.
  return Object.fromEntries(Object.entries(made).map(([name, { $schema: _s, $id: _i, ...schema }]) => [name, schema]));
}

function parameters(op: Operation): Json[] {
  const named = op.params ? (z.toJSONSchema(op.params, { io: 'input', unrepresentable: 'any' }).properties ?? {}) : {};
  const path = pathParamNames(op.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: named[name] ?? (isIdName(name) ? { type: 'string', format: 'uuid' } : { type: 'string' }),
  }));
  if (!op.query) return path;
  const q = z.toJSONSchema(op.query, { io: 'input', unrepresentable: 'any' });
  const query = Object.entries(q.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: (q.required ?? []).includes(name),
    schema,
  }));
  return [...path, ...query];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

function security(access: Access): Json[] {
  if (access === 'public') return [];
  if (access === 'bank-signature') return [{ bankSignature: [], bankTimestamp: [] }];
  return [{ bearerAuth: [] }];
}

function responses(op: Operation): Json {
  const out: Json = {};
  for (const [status, a] of Object.entries(op.ok)) {
    const type = a.type ?? 'application/json';
    out[status] = { description: a.description, content: { [type]: a.name ? { schema: ref(a.name) } : {} } };
  }
  const validated =
    op.query || op.body || pathParamNames(op.path).some(isIdName) || (op.params && op.access !== 'public');
  if (validated) out[400] = errorAnswer('invalid-input: details name each field that was wrong');
  if (op.access !== 'public')
    out[401] = errorAnswer(
      op.access === 'bank-signature' ? 'missing, stale or wrong signature' : 'no token, or a bad or expired one',
    );
  if (Array.isArray(op.access)) out[403] = errorAnswer('forbidden: another role, or outside the scope of your token');
  if (pathParamNames(op.path).length) out[404] = errorAnswer('not-found');
  for (const [status, description] of Object.entries(op.errors ?? {})) out[status] = errorAnswer(description);
  return out;
}

function requestBody(op: Operation): Json | undefined {
  const b = op.body;
  if (!b) return undefined;
  const content = b.raw
    ? { [b.raw]: { schema: { type: 'string', contentMediaType: b.raw } } }
    : { 'application/json': { schema: ref(b.name!) } };
  return { required: !b.optional, description: b.description, content };
}

function operation(op: Operation): Json {
  const roles = Array.isArray(op.access) ? [...op.access] : [];
  const who =
    op.access === 'public'
      ? 'No token.'
      : op.access === 'bank-signature'
        ? 'Signed by the bank.'
        : `Roles: ${roles.join(', ')}.`;
  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    description: [who, op.description].filter(Boolean).join(' '),
    security: security(op.access),
    ...(roles.length ? { 'x-roles': roles } : {}),
    parameters: parameters(op),
    ...(op.body ? { requestBody: requestBody(op) } : {}),
    responses: responses(op),
  };
}

export function buildDocument(o: { serverUrl: string; version: string }, ops: Operation[] = OPERATIONS): Json {
  const paths: Record<string, Json> = {};
  const ids = new Set<string>();
  for (const op of ops) {
    const entry = (paths[openApiPath(op.path)] ??= {});
    if (entry[op.method]) throw new Error(`openapi: ${op.method.toUpperCase()} ${op.path} is listed twice`);
    const made = operation(op);
    if (ids.has(made.operationId as string)) throw new Error(`openapi: operationId ${made.operationId} is not unique`);
    ids.add(made.operationId as string);
    entry[op.method] = made;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'e-retribusi API',
      version: o.version,
      description:
        'Cashless market-fee (retribusi pasar) payments for Indonesian regions. Money is a decimal string ("15000.00"), ' +
        "business dates are YYYY-MM-DD in the region's time zone, instants are ISO 8601. Errors are " +
        '{ "error": { "code", "message", "details" } }. Wrong scope is 403, no or bad token 401.',
    },
    servers: [{ url: o.serverUrl }],
    tags: [...new Set(ops.map((op) => op.tag))].map((name) => ({ name, description: TAGS[name] ?? name })),
    paths,
    components: {
      schemas: components(ops),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'POST /api/v1/auth/login (staff) or /api/v1/auth/terminal',
        },
        bankSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Signature',
          description: 'hex HMAC-SHA256 of timestamp + "." + raw body, under the acquirer\'s secret',
        },
        bankTimestamp: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Timestamp',
          description: 'unix seconds, within the allowed skew',
        },
      },
    },
  };
}
