// The search behind the header's box: stalls by code, traders by name, letters by number, in
// what the viewer may see: a manager their market, an officer (or an auditor of one region)
// their region, the admin (or an auditor of every region) all. Without a kind, each kind shows
// its first few hits; with one, that kind is listed alone, a page at a time.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { forbidden } from '../core/errors';
import { assertPageRole } from './scope';
import * as repo from './search.repository';
import type { SearchKind, SearchQuery } from './search.schemas';

export const SEARCH_MIN = 2;
/** Hits per kind when every kind is shown; a kind listed alone shows PAGE_SIZE a page. */
export const PREVIEW = 10;
export const PAGE_SIZE = 50;

export interface Section<T> {
  hits: T[];
  /** more hits follow this window */
  more: boolean;
}

export interface SearchResult {
  q?: string;
  /** the text is too short to search with */
  tooShort: boolean;
  kind?: SearchKind;
  page: number;
  /** the viewer sees one market (a manager): the market column is left out */
  oneMarket: boolean;
  stalls?: Section<repo.StallHit>;
  traders?: Section<repo.TraderHit>;
  letters?: Section<repo.LetterHit>;
}

/** What a viewer may search: a manager's market, an officer's region, or every region. */
export function searchScope(p: Principal): repo.SearchScope {
  assertPageRole(p);
  if (p.role === 'manager') {
    if (!p.regionId || !p.marketId) throw forbidden('akun ini tidak terikat pada satu pasar');
    return { regionId: p.regionId, marketId: p.marketId };
  }
  if (p.role === 'admin' || (p.role === 'auditor' && !p.regionId)) return {};
  if (!p.regionId) throw forbidden('akun ini tidak terikat pada satu wilayah');
  return { regionId: p.regionId };
}

type Finder<T> = (db: Deps['knex'], q: string, s: repo.SearchScope, w: repo.SearchWindow, now: Date) => Promise<T[]>;

async function section<T>(
  deps: Deps,
  find: Finder<T>,
  q: string,
  scope: repo.SearchScope,
  size: number,
  page: number,
): Promise<Section<T>> {
  // One more than shown says whether another page follows, without counting every match.
  const rows = await find(deps.knex, q, scope, { limit: size + 1, offset: (page - 1) * size }, deps.clock.now());
  return { hits: rows.slice(0, size), more: rows.length > size };
}

export async function search(deps: Deps, p: Principal, query: SearchQuery): Promise<SearchResult> {
  const scope = searchScope(p);
  const q = query.q;
  const page = query.page ?? 1;
  const only = query.jenis;
  const base = { q, kind: only, page, oneMarket: Boolean(scope.marketId) };
  if (!q || q.length < SEARCH_MIN) return { ...base, tooShort: Boolean(q) };
  const size = only ? PAGE_SIZE : PREVIEW;
  const at = only ? page : 1;
  const [stalls, traders, letters] = await Promise.all([
    !only || only === 'los' ? section(deps, repo.stallsByCode, q, scope, size, at) : undefined,
    !only || only === 'pedagang' ? section(deps, repo.tradersByName, q, scope, size, at) : undefined,
    !only || only === 'surat' ? section(deps, repo.lettersByNumber, q, scope, size, at) : undefined,
  ]);
  return { ...base, tooShort: false, stalls, traders, letters };
}
