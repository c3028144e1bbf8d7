// Master data: regions, markets and their closures, stalls, traders, tenancies, tariffs,
// acquirers, terminals and who carries them, staff accounts, and each market's yearly target.
// Reads: admin, officers (their region), auditors, and a manager for what concerns their own
// market (region-wide lists are not theirs); writes: the admin, and officers in their region.
import { createAcquirerSchema, patchAcquirerSchema } from '../../acquirers/acquirers.schemas';
import {
  closuresQuery,
  createClosureSchema,
  createMarketSchema,
  patchMarketSchema,
} from '../../markets/markets.schemas';
import { createRegionSchema, patchRegionSchema } from '../../regions/regions.schemas';
import { STALL_CSV_COLUMNS } from '../../stalls/stall-import.service';
import { createStallSchema, patchStallSchema, stallRegisterQuery } from '../../stalls/stalls.schemas';
import { targetParams, putTargetSchema } from '../../targets/targets.schemas';
import { createTariffSchema, endTariffSchema, listTariffsQuery } from '../../tariffs/tariffs.schemas';
import { createTenancySchema, endTenancySchema } from '../../tenancies/tenancies.schemas';
import { createAssignmentSchema, endAssignmentSchema } from '../../terminal-assignments/terminal-assignments.schemas';
import { createTerminalSchema, patchTerminalSchema, terminalParams } from '../../terminals/terminals.schemas';
import { TRADER_CSV_COLUMNS } from '../../traders/trader-import.service';
import { createTraderSchema, listTradersQuery, patchTraderSchema } from '../../traders/traders.schemas';
import { createUserSchema, listUsersQuery, patchUserSchema } from '../../users/users.schemas';
import { traderImportQuery } from '../mirrored.schemas';
import { REGION_READ, STAFF_READ, STAFF_WRITE, type Operation } from '../operation';

const csv = (columns: { required: string[]; optional: string[] }) =>
  `CSV with a header row: ${columns.required.join(', ')} (required), ${columns.optional.join(', ')} (optional). All rows or none.`;

const read = (path: string, tag: string, summary: string, extra: Partial<Operation> = {}): Operation => ({
  method: 'get',
  path,
  tag,
  summary,
  access: STAFF_READ,
  ok: { 200: { description: summary } },
  ...extra,
});
const write = (
  method: Operation['method'],
  path: string,
  tag: string,
  summary: string,
  body: Operation['body'],
  status = 200,
): Operation => ({
  method,
  path,
  tag,
  summary,
  access: STAFF_WRITE,
  body,
  ok: { [status]: { description: summary } },
});

export const masterDataPaths: Operation[] = [
  read('/api/v1/regions', 'regions', 'The regions you may see', { access: REGION_READ }),
  {
    ...write(
      'post',
      '/api/v1/regions',
      'regions',
      'Create a region with its ledger accounts',
      { schema: createRegionSchema, name: 'CreateRegion' },
      201,
    ),
    access: ['admin'],
  },
  read('/api/v1/regions/:regionId', 'regions', 'A region', { access: REGION_READ }),
  write('patch', '/api/v1/regions/:regionId', 'regions', 'Change a region (its code and time zone are fixed)', {
    schema: patchRegionSchema,
    name: 'PatchRegion',
  }),

  read('/api/v1/regions/:regionId/markets', 'markets', "A region's markets", { access: REGION_READ }),
  write(
    'post',
    '/api/v1/regions/:regionId/markets',
    'markets',
    'Create a market',
    { schema: createMarketSchema, name: 'CreateMarket' },
    201,
  ),
  read('/api/v1/markets/:marketId', 'markets', 'A market'),
  write('patch', '/api/v1/markets/:marketId', 'markets', 'Change a market', {
    schema: patchMarketSchema,
    name: 'PatchMarket',
  }),
  write(
    'post',
    '/api/v1/markets/:marketId/closures',
    'markets',
    'Close a market for a day (no assessment that day)',
    { schema: createClosureSchema, name: 'CreateClosure' },
    201,
  ),
  read('/api/v1/markets/:marketId/closures', 'markets', "A market's closures", { query: closuresQuery }),

  write(
    'post',
    '/api/v1/markets/:marketId/stalls',
    'stalls',
    'Create a stall',
    { schema: createStallSchema, name: 'CreateStall' },
    201,
  ),
  write(
    'post',
    '/api/v1/markets/:marketId/stalls/import',
    'stalls',
    "Import a market's stalls from a spreadsheet",
    { raw: 'text/csv', description: csv(STALL_CSV_COLUMNS) },
    201,
  ),
  read('/api/v1/markets/:marketId/stall-register', 'stalls', "A market's stall register", {
    query: stallRegisterQuery,
  }),
  read('/api/v1/stalls/:stallId', 'stalls', 'A stall'),
  write('patch', '/api/v1/stalls/:stallId', 'stalls', 'Change a stall', {
    schema: patchStallSchema,
    name: 'PatchStall',
  }),

  read('/api/v1/regions/:regionId/traders', 'traders', "A region's traders (a manager reads their region's)", {
    query: listTradersQuery,
  }),
  write(
    'post',
    '/api/v1/regions/:regionId/traders',
    'traders',
    'Register a trader',
    { schema: createTraderSchema, name: 'CreateTrader' },
    201,
  ),
  {
    ...write(
      'post',
      '/api/v1/regions/:regionId/traders/import',
      'traders',
      'Import traders (and, with stall_code, their tenancies)',
      { raw: 'text/csv', description: csv(TRADER_CSV_COLUMNS) },
      201,
    ),
    query: traderImportQuery,
  },
  read('/api/v1/traders/:traderId', 'traders', 'A trader'),
  write('patch', '/api/v1/traders/:traderId', 'traders', 'Change a trader', {
    schema: patchTraderSchema,
    name: 'PatchTrader',
  }),

  write(
    'post',
    '/api/v1/stalls/:stallId/tenancies',
    'tenancies',
    'A trader occupies a stall from a date (never two at once)',
    { schema: createTenancySchema, name: 'CreateTenancy' },
    201,
  ),
  read('/api/v1/stalls/:stallId/tenancies', 'tenancies', "A stall's tenancies"),
  write('post', '/api/v1/tenancies/:tenancyId/end', 'tenancies', 'End a tenancy on its last day', {
    schema: endTenancySchema,
    name: 'EndTenancy',
  }),

  read('/api/v1/regions/:regionId/tariffs', 'tariffs', "A region's tariffs", {
    query: listTariffsQuery,
    access: REGION_READ,
  }),
  write(
    'post',
    '/api/v1/regions/:regionId/tariffs',
    'tariffs',
    'A tariff from a date (never overlapping another)',
    { schema: createTariffSchema, name: 'CreateTariff' },
    201,
  ),
  write('post', '/api/v1/tariffs/:tariffId/end', 'tariffs', 'End a tariff on its last day', {
    schema: endTariffSchema,
    name: 'EndTariff',
  }),

  read('/api/v1/regions/:regionId/acquirers', 'acquirers', "A region's acquirers (card and QRIS contracts)", {
    access: REGION_READ,
  }),
  write(
    'post',
    '/api/v1/regions/:regionId/acquirers',
    'acquirers',
    'Create an acquirer',
    { schema: createAcquirerSchema, name: 'CreateAcquirer' },
    201,
  ),
  read('/api/v1/acquirers/:acquirerId', 'acquirers', 'An acquirer', { access: REGION_READ }),
  write('patch', '/api/v1/acquirers/:acquirerId', 'acquirers', 'Change an acquirer', {
    schema: patchAcquirerSchema,
    name: 'PatchAcquirer',
  }),

  read('/api/v1/markets/:marketId/terminals', 'terminals', "A market's terminals"),
  write(
    'post',
    '/api/v1/markets/:marketId/terminals',
    'terminals',
    'Register a terminal with its secret',
    { schema: createTerminalSchema, name: 'CreateTerminal' },
    201,
  ),
  {
    ...write('patch', '/api/v1/terminals/:terminalId', 'terminals', 'Change a terminal (deactivate, new secret)', {
      schema: patchTerminalSchema,
      name: 'PatchTerminal',
    }),
    params: terminalParams,
  },
  {
    ...write(
      'post',
      '/api/v1/terminals/:terminalId/assignments',
      'terminals',
      'A collector carries a terminal from a date (one at a time)',
      { schema: createAssignmentSchema, name: 'CreateAssignment' },
      201,
    ),
    params: terminalParams,
  },
  read('/api/v1/terminals/:terminalId/assignments', 'terminals', 'Who carried a terminal when', {
    params: terminalParams,
  }),
  write('post', '/api/v1/terminal-assignments/:assignmentId/end', 'terminals', 'End an assignment on its last day', {
    schema: endAssignmentSchema,
    name: 'EndAssignment',
  }),

  {
    ...write('put', '/api/v1/markets/:marketId/targets/:year', 'markets', "Set a market's revenue target for a year", {
      schema: putTargetSchema,
      name: 'PutTarget',
    }),
    params: targetParams,
  },
  read('/api/v1/markets/:marketId/targets', 'markets', "A market's yearly targets"),

  read('/api/v1/users', 'users', 'Staff accounts you may see', { query: listUsersQuery, access: REGION_READ }),
  write(
    'post',
    '/api/v1/users',
    'users',
    'Create a staff account (an officer: managers, collectors and feeds of their region)',
    { schema: createUserSchema, name: 'CreateUser' },
    201,
  ),
  write('patch', '/api/v1/users/:userId', 'users', 'Change a staff account', {
    schema: patchUserSchema,
    name: 'PatchUser',
  }),
];
