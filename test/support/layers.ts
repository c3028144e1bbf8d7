// The map of the house, as rules over import arrows. test/unit/layers.test.ts runs them on the
// repository; the same functions run on a made-up repository in that test, to show that each rule
// fails when its arrow is added.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One import: a file of the repository (`to`) or an npm package / node builtin (`pkg`). */
export interface Arrow {
  from: string;
  to?: string;
  pkg?: string;
  typeOnly: boolean;
  spec: string;
}

export interface Violation {
  rule: string;
  arrow?: Arrow;
  file?: string;
  message: string;
}

/** The product's folders, which the rules govern. Tests and the bench may reach anything. */
export const PRODUCT_DIRS = ['api', 'db', 'jobs', 'reports', 'terminal-sim'];

export function readRepository(root: string, dirs = [...PRODUCT_DIRS, 'bench', 'test']): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.ts$/.test(e.name)) files.set(rel, readFileSync(path.join(root, rel), 'utf8'));
    }
  };
  for (const d of dirs) walk(d);
  return files;
}

/**
 * The source with its comments blanked out, strings, templates and regular expressions kept, so
 * that an import or a query quoted in a comment does not count and `'** /*'` in a string is not a
 * comment. A small scanner, not a parser: enough for what the rules look for.
 */
export function withoutComments(src: string): string {
  let out = '';
  let i = 0;
  let lastSignificant = '';
  const templateDepth: number[] = [];
  let braces = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      lastSignificant = c;
      continue;
    }
    if (c === '`' || (c === '}' && templateDepth.length > 0 && templateDepth[templateDepth.length - 1] === braces)) {
      if (c === '}') templateDepth.pop();
      let j = i + 1;
      while (j < src.length && src[j] !== '`' && !(src[j] === '$' && src[j + 1] === '{')) j += src[j] === '\\' ? 2 : 1;
      if (src[j] === '$') {
        templateDepth.push(braces);
        out += src.slice(i, j + 2);
        i = j + 2;
      } else {
        out += src.slice(i, j + 1);
        i = j + 1;
      }
      lastSignificant = '`';
      continue;
    }
    if (c === '/' && (lastSignificant === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant))) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n' && (inClass || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        j++;
      }
      out += src.slice(i, j + 1);
      i = j + 1;
      lastSignificant = '/';
      continue;
    }
    if (c === '{') braces++;
    if (c === '}') braces--;
    if (!/\s/.test(c)) lastSignificant = /[\w$)\]]/.test(c) ? 'x' : c;
    out += c;
    i++;
  }
  return out;
}

const IMPORT =
  /(?:^|[;\s])(?:import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"\n]+)['"]|\bimport\(\s*['"]([^'"\n]+)['"]\s*\)|\brequire\(\s*['"]([^'"\n]+)['"]\s*\)|\bjest\.mock\(\s*['"]([^'"\n]+)['"]/g;

export function arrowsOf(files: Map<string, string>): Arrow[] {
  const arrows: Arrow[] = [];
  for (const [from, text] of files) {
    const code = withoutComments(text);
    for (const m of code.matchAll(IMPORT)) {
      const spec = m[2] ?? m[3] ?? m[4] ?? m[5];
      if (!spec.startsWith('.')) {
        arrows.push({ from, pkg: spec.replace(/^node:/, ''), typeOnly: !!m[1], spec });
        continue;
      }
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
      const to = [base, `${base}.ts`, `${base}/index.ts`].find((c) => files.has(c));
      arrows.push({ from, to: to ?? `${base} (missing)`, typeOnly: !!m[1], spec });
    }
  }
  return arrows;
}

/** Import cycles, each as the files on it (strongly connected components of more than one file). */
export function cyclesOf(arrows: Arrow[]): string[][] {
  const next = new Map<string, string[]>();
  for (const a of arrows) if (a.to) next.set(a.from, [...(next.get(a.from) ?? []), a.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let n = 0;
  const visit = (v: string) => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

// ---- the folders and roles the rules speak of ----

const under = (dir: string) => (f: string) => f.startsWith(`${dir}/`);
const isCore = under('api/core');
const isApi = under('api');
const isDb = under('db');
const isSeed = under('db/seed');
const isJobs = under('jobs');
const isReports = under('reports');
const isSim = under('terminal-sim');
const isProduct = (f: string) => PRODUCT_DIRS.some((d) => f.startsWith(`${d}/`));
/** The seed's fixtures the simulator shares with it: names, credentials, the PRNG, the catalogue. */
const isSeedFixture = (f: string) => /^db\/seed\/(names|credentials|prng|catalog)\.ts$/.test(f);
/** The QRIS codec is EMVCo's published format, spoken alike by the product and the banks it plays. */
const isQrisCodec = under('api/qris/codec');
const isRoutes = (f: string) => /\.(routes|pages)\.ts$/.test(f);
/** The HTTP edge: the app, the server, api/http/, route and page files, middleware. */
const isHttpEdge = (f: string) =>
  f === 'api/app.ts' || f === 'api/server.ts' || under('api/http')(f) || isRoutes(f) || /\.middleware\.ts$/.test(f);
const isRepository = (f: string) => /\.(repository|sql)\.ts$/.test(f);
/** The area a file of api/ belongs to: api/<area>/... */
const areaOf = (f: string) => (isApi(f) ? f.split('/')[1] : undefined);

interface ArrowRule {
  name: string;
  why: string;
  forbidden(a: Arrow): boolean;
}

export const ARROW_RULES: ArrowRule[] = [
  {
    name: 'core-imports-packages-only',
    why: 'api/core is the ground floor: everything stands on it, so it stands on npm packages alone',
    forbidden: (a) => isCore(a.from) && !!a.to && !isCore(a.to),
  },
  {
    name: 'db-imports-core-only',
    why: 'db/ (connection, migrations, launcher) knows only api/core; the demo seed is a client of the domain',
    forbidden: (a) => isDb(a.from) && !isSeed(a.from) && !!a.to && isProduct(a.to) && !isDb(a.to) && !isCore(a.to),
  },
  {
    name: 'seed-calls-services',
    why: 'the demo seed is a client of the domain, like the simulator: it calls services, not repositories or routes',
    forbidden: (a) =>
      isSeed(a.from) &&
      !!a.to &&
      isApi(a.to) &&
      !isCore(a.to) &&
      !/\.service\.ts$/.test(a.to) &&
      !a.to.startsWith('api/ledger/post'),
  },
  {
    name: 'reports-do-not-import-jobs',
    why: 'a job runs a report; a report never runs a job',
    forbidden: (a) => isReports(a.from) && !!a.to && isJobs(a.to),
  },
  {
    name: 'simulator-is-a-client',
    why: 'the simulator speaks the public HTTP API and writes the banks files; it shares only the seed fixtures, core and the QRIS codec',
    forbidden: (a) =>
      isSim(a.from) &&
      !!a.to &&
      isProduct(a.to) &&
      !isSim(a.to) &&
      !isSeedFixture(a.to) &&
      !isCore(a.to) &&
      !isQrisCodec(a.to),
  },
  {
    name: 'express-only-at-the-http-edge',
    why: 'services, repositories and jobs never see a request: only route, page and middleware files and api/http import express',
    forbidden: (a) => isProduct(a.from) && a.pkg === 'express' && !isHttpEdge(a.from),
  },
  {
    name: 'routes-are-mounted-not-imported',
    why: 'route files are leaves: the app (or a routes file mounting others) imports them, nothing else does',
    forbidden: (a) => isProduct(a.from) && !!a.to && isRoutes(a.to) && !(a.from === 'api/app.ts' || isRoutes(a.from)),
  },
  {
    name: 'no-other-features-repository',
    why: "a feature calls another feature's service, never its repository; jobs, reports, the seed and the simulator call services",
    forbidden: (a) =>
      isProduct(a.from) && !!a.to && isApi(a.to) && isRepository(a.to) && areaOf(a.from) !== areaOf(a.to),
  },
];

// ---- SQL lives in repositories ----

/** Where SQL may be written: repositories and *.sql.ts beside them, db/ (migrations, the launcher),
 * and the report queries under reports/data/. */
export const mayHoldSql = (f: string) =>
  isRepository(f) || (isDb(f) && !isSeed(f)) || under('reports/data')(f) || !isProduct(f);

// A query: `.raw(`, or a builder started on a table name (`db('payments')`, `trx<Row>('x as y')`).
const SQL =
  /\.raw\s*\(|\b(?:knex|db|trx|tx|k|q|conn|executor)\s*(?:<[^>()]*>)?\(\s*['"`][a-z_]+(?:\s+as\s+\w+)?['"`]\s*\)/;

export function sqlOutsideRepositories(files: Map<string, string>): Violation[] {
  const found: Violation[] = [];
  for (const [file, text] of files) {
    if (mayHoldSql(file)) continue;
    const code = withoutComments(text);
    const m = SQL.exec(code);
    if (m) {
      const line = code.slice(0, m.index).split('\n').length;
      found.push({
        rule: 'sql-lives-in-repositories',
        file,
        message: `${file}:${line} runs SQL (${m[0].trim()}); move it to a *.repository.ts or *.sql.ts`,
      });
    }
  }
  return found;
}

// ---- the journal has one writer ----

/** Journal rows are written in api/ledger/ only: its TypeScript, or the SQL functions it wraps. */
const JOURNAL_WRITE =
  /insert\s+into\s+journal_(?:entries|lines)\b|\(\s*['"`]journal_(?:entries|lines)['"`]\s*\)\s*\.insert\b|\bledger_(?:post|record|void)\w*\s*\(/i;

export function journalWritersOutsideLedger(files: Map<string, string>): Violation[] {
  const found: Violation[] = [];
  for (const [file, text] of files) {
    if (!isProduct(file) || under('api/ledger')(file) || under('db/migrations')(file)) continue;
    const code = withoutComments(text);
    const m = JOURNAL_WRITE.exec(code);
    if (m) {
      const line = code.slice(0, m.index).split('\n').length;
      found.push({
        rule: 'one-writer-of-the-journal',
        file,
        message: `${file}:${line} writes the journal (${m[0].trim()}); post through api/ledger/post.ts`,
      });
    }
  }
  return found;
}

// ---- one way to parse a request ----

/** Route, page and middleware files parse input with parseInput (api/core/schemas.ts), which
 * answers 400 invalid-input naming each field, never with a schema's own parse/safeParse. */
const DIRECT_PARSE = /\.(?:safeParse|parse|parseAsync|safeParseAsync)\s*\(/g;

export function requestsParsedElsewhere(files: Map<string, string>): Violation[] {
  const found: Violation[] = [];
  for (const [file, text] of files) {
    if (!isProduct(file) || !isHttpEdge(file)) continue;
    const code = withoutComments(text);
    for (const m of code.matchAll(DIRECT_PARSE)) {
      const before = code.slice(Math.max(0, m.index - 5), m.index);
      if (/JSON$|Date$/.test(before)) continue;
      const line = code.slice(0, m.index).split('\n').length;
      found.push({
        rule: 'one-request-parsing-path',
        file,
        message: `${file}:${line} parses input with ${m[0].trim()}; use parseInput`,
      });
    }
  }
  return found;
}

export function checkLayers(files: Map<string, string>): Violation[] {
  const arrows = arrowsOf(files);
  const violations: Violation[] = [];
  for (const cycle of cyclesOf(arrows.filter((a) => isProduct(a.from)))) {
    violations.push({ rule: 'no-import-cycles', message: `import cycle: ${cycle.join(' <-> ')}` });
  }
  for (const a of arrows) {
    for (const r of ARROW_RULES) {
      if (r.forbidden(a)) {
        violations.push({ rule: r.name, arrow: a, message: `${a.from} -> ${a.to ?? a.pkg}: ${r.why}` });
      }
    }
  }
  for (const a of arrows) {
    if (a.to?.endsWith('(missing)') && isProduct(a.from)) {
      violations.push({
        rule: 'imports-resolve',
        arrow: a,
        message: `${a.from} imports ${a.spec}, which is not a file`,
      });
    }
  }
  return [
    ...violations,
    ...sqlOutsideRepositories(files),
    ...journalWritersOutsideLedger(files),
    ...requestsParsedElsewhere(files),
  ];
}
