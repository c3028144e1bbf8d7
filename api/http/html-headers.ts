// The security headers of every HTML answer, in one place: the staff and public pages, the
// receipt and document verification pages, the API's /docs, error pages. Nothing may frame a
// page (clickjacking), the browser does not guess a type (nosniff), nothing runs or loads but
// what the page itself carries: its stylesheet, or the inline <style>/<script> blocks its module
// declares, allowed by their SHA-256 (never 'unsafe-inline', so injected markup stays inert).
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

/** What a page carries inline besides /aset/halaman.css, and whether its script calls back. */
export interface PageAllowances {
  /** The exact text inside each <style> element */
  styles?: string[];
  /** The exact text inside each <script> element */
  scripts?: string[];
  /** The page's script fetches from this origin (connect-src 'self') */
  connect?: boolean;
  /** The page loads its script as a file of this origin (script-src 'self'), nothing inline */
  selfScripts?: boolean;
}

const sha256Source = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The Content-Security-Policy of a page: no script, no framing, styles from our own file. */
export function contentSecurityPolicy(a: PageAllowances = {}): string {
  const styles = ["'self'", ...(a.styles ?? []).map(sha256Source)].join(' ');
  const parts = ["default-src 'none'", `style-src ${styles}`, "img-src 'self' data:"];
  const scripts = [...(a.selfScripts ? ["'self'"] : []), ...(a.scripts ?? []).map(sha256Source)];
  if (scripts.length) parts.push(`script-src ${scripts.join(' ')}`);
  if (a.connect) parts.push("connect-src 'self'");
  parts.push("form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'");
  return parts.join('; ');
}

/** The pages' own policy: no inline block at all. */
export const PAGE_CSP = contentSecurityPolicy();

export type PageCache = 'no-store' | 'private';

/** Sets the headers every HTML answer carries. */
export function setPageHeaders(res: Response, o: { csp?: string; cache?: PageCache } = {}): void {
  res.setHeader('Content-Security-Policy', o.csp ?? PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', (o.cache ?? 'no-store') === 'no-store' ? 'no-store' : 'private, no-cache');
}

/** A route's middleware: its pages' headers, set before the handler runs. */
export const pageHeaders =
  (o: { csp?: string; cache?: PageCache } = {}): RequestHandler =>
  (_req, res, next) => {
    setPageHeaders(res, o);
    next();
  };

/** The whole app's net: nosniff on every answer, and on any HTML answer that set none of its
 * own (an error page, a route added later) the pages' headers, decided when the headers go out,
 * once the answer's type is known. A route's own policy (a page with an inline block) stays. */
export function htmlSecurityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const writeHead = res.writeHead;
    res.writeHead = function securedWriteHead(this: Response, ...args: unknown[]) {
      const type = String(this.getHeader('Content-Type') ?? '');
      if (/^text\/html\b/i.test(type) && !this.getHeader('Content-Security-Policy')) {
        const cache = this.getHeader('Cache-Control');
        setPageHeaders(this);
        if (cache !== undefined) this.setHeader('Cache-Control', cache);
      }
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}
