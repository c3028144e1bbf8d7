// The layers of the house, kept by a test: a newcomer runs this to see which folder may use which
// (README, "How it is built"). When it fails, move the code; do not widen the rule.
import path from 'node:path';
import { arrowsOf, checkLayers, readRepository, type Violation, withoutComments } from '../support/layers';

const ROOT = path.resolve(__dirname, '../..');

const messages = (vs: Violation[]) => vs.map((v) => `${v.rule}: ${v.message}`);

describe('the layers of the repository', () => {
  const violations = checkLayers(readRepository(ROOT));
  const rules = [
    'no-import-cycles',
    'core-imports-packages-only',
    'db-imports-core-only',
    'seed-calls-services',
    'reports-do-not-import-jobs',
    'simulator-is-a-client',
    'express-only-at-the-http-edge',
    'routes-are-mounted-not-imported',
    'no-other-features-repository',
    'sql-lives-in-repositories',
    'one-writer-of-the-journal',
    'one-request-parsing-path',
    'imports-resolve',
  ];
  it.each(rules)('%s holds', (rule) => {
    expect(messages(violations.filter((v) => v.rule === rule))).toEqual([]);
  });
  it('names every rule it checks', () => {
    expect(messages(violations.filter((v) => !rules.includes(v.rule)))).toEqual([]);
  });
});

// The test of the test: each rule, shown failing on the arrow it forbids.
describe('the layers test catches', () => {
  const real = readRepository(ROOT);
  /** The real repository with one line added to one file. */
  const withLine = (file: string, line: string) => {
    const files = new Map(real);
    files.set(file, `${line}\n${files.get(file) ?? ''}`);
    return checkLayers(files);
  };
  const rulesOf = (vs: Violation[]) => [...new Set(vs.map((v) => v.rule))];
  // Compared without line numbers (the added line moves the rest of its file down by one), and as
  // counts, so a second violation of a kind the file already had still shows.
  const key = (v: Violation) => `${v.rule}: ${v.message.replace(/:\d+ /, ' ')}`;
  const countsOf = (vs: Violation[]) => {
    const counts = new Map<string, number>();
    for (const v of vs) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
    return counts;
  };
  const before = countsOf(checkLayers(real));
  const added = (vs: Violation[]) => {
    const seen = new Map<string, number>();
    return vs.filter((v) => {
      const n = (seen.get(key(v)) ?? 0) + 1;
      seen.set(key(v), n);
      return n > (before.get(key(v)) ?? 0);
    });
  };

  it.each([
    ['db/knex.ts', "import { recordCardPayment } from '../api/payments/payments.service';", 'db-imports-core-only'],
    ['api/core/money.ts', "import type { Deps } from '../payments/payments.service';", 'core-imports-packages-only'],
    ['reports/registry.ts', "import { runJob } from '../jobs/cli';", 'reports-do-not-import-jobs'],
    ['terminal-sim/sim.ts', "import { createKnex } from '../db/knex';", 'simulator-is-a-client'],
    ['terminal-sim/sim.ts', "import { payWithCard } from '../api/payments/payments.service';", 'simulator-is-a-client'],
    ['api/payments/payments.service.ts', "import type { Request } from 'express';", 'express-only-at-the-http-edge'],
    [
      'jobs/assess.ts',
      "import { paymentsRouter } from '../api/payments/payments.routes';",
      'routes-are-mounted-not-imported',
    ],
    [
      'api/qris/qris.service.ts',
      "import * as stalls from '../stalls/stalls.repository';",
      'no-other-features-repository',
    ],
    ['jobs/reconcile.ts', "import * as repo from '../api/stalls/stalls.repository';", 'no-other-features-repository'],
    ['db/seed/demo.ts', "import { payWithCard } from '../../api/payments/payments.routes';", 'seed-calls-services'],
    [
      'api/pages/market.pages.ts',
      "const x = async (knex) => knex('payments').where({ id: 1 });",
      'sql-lives-in-repositories',
    ],
    ['jobs/assess.ts', "const y = (db) => db.raw('select 1');", 'sql-lives-in-repositories'],
    ['api/qris/qris.service.ts', "const z = 'insert into journal_lines (x) values (1)';", 'one-writer-of-the-journal'],
    ['api/payments/payments.routes.ts', 'const w = (s, b) => s.parse(b);', 'one-request-parsing-path'],
    ['api/qris/qris.service.ts', "import { x } from './not-a-file';", 'imports-resolve'],
  ])('%s given «%s» breaks %s', (file, line, rule) => {
    expect(rulesOf(added(withLine(file, line)))).toContain(rule);
  });

  it('an import cycle', () => {
    // api/core/time.ts is imported by api/core/schemas.ts; the reverse arrow closes a cycle.
    const vs = added(withLine('api/core/time.ts', "import { id } from './schemas';"));
    expect(rulesOf(vs)).toEqual(['no-import-cycles']);
    expect(vs[0].message).toContain('api/core/schemas.ts');
  });

  it('nothing in a comment, and nothing the tests or the bench do', () => {
    expect(added(withLine('api/qris/qris.service.ts', "// import * as s from '../stalls/stalls.repository';"))).toEqual(
      [],
    );
    expect(added(withLine('api/qris/qris.service.ts', "/* knex('payments').where({}) */"))).toEqual([]);
    expect(added(withLine('bench/run.ts', "import * as s from '../api/stalls/stalls.repository';"))).toEqual([]);
    expect(added(withLine('test/api/qris.test.ts', "import type { Request } from 'express';"))).toEqual([]);
  });
});

describe('reading the sources', () => {
  it('blanks comments but keeps strings, templates and regular expressions that look like them', () => {
    const src = [
      "const glob = 'api/**/*.ts'; // a comment",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
      'const re = /\\/\\*x/; /* gone */ const t = `a ${b ? "//" : c} /* kept */`;',
      "import { a } from './a';",
    ].join('\n');
    const out = withoutComments(src);
    expect(out).toContain("'api/**/*.ts'");
    expect(out).not.toContain('a comment');
    expect(out).not.toContain('gone');
    expect(out).toContain('/* kept */');
    expect(out).toContain("import { a } from './a';");
  });

  it('reads static, dynamic, type-only and re-exporting imports, resolved to files', () => {
    const files = new Map([
      ['api/x/a.ts', "import type { B } from './b';\nexport { c } from '../y/c';\nconst d = await import('./d');"],
      ['api/x/b.ts', ''],
      ['api/y/c.ts', ''],
      ['api/x/d/index.ts', ''],
    ]);
    expect(arrowsOf(files).map((a) => [a.to, a.typeOnly])).toEqual([
      ['api/x/b.ts', true],
      ['api/y/c.ts', false],
      ['api/x/d/index.ts', false],
    ]);
  });
});
