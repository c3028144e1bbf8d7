// What every browser test stands on: a fresh database, the world a test builds on it, the
// product's app served on 127.0.0.1 (a free port) with PUBLIC_BASE_URL pointing at it, so that
// stickers and documents link to this server as they would to the public address, and headless
// Chromium. servedInChromium registers the jest beforeAll/afterAll that start and stop them; its
// fields are there once beforeAll has run (inside a test or a hook, not at the file's top level).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Deps } from '../../api/core/deps';
import { freshDb, type TestDb } from '../support/db';
import { DESKTOP, launchChromium } from './chromium';

export interface Viewport {
  width: number;
  height: number;
}

export interface Account {
  username: string;
  password: string;
}

export interface Served<W> {
  /** The world the test built (pagesWorld, publicPayWorld, ...). */
  readonly world: W;
  /** The test's own database (not the app's deps.knex). */
  readonly db: Knex;
  /** http://127.0.0.1:<port>, the server's address. */
  readonly base: string;
  readonly browser: Browser;
  /**
   * The login form filled and sent on this page, at /login. It waits for the answer, not for a
   * landing: a refused login stays on /login with its message.
   */
  logIn(page: Page, user: Account): Promise<void>;
  /** A fresh browser (Indonesian, desktop unless told) logged in as this account through the form. */
  loggedIn(user: Account, viewport?: Viewport): Promise<{ context: BrowserContext; page: Page }>;
}

export function servedInChromium<W extends { app: { listen(port: number, host: string): Server }; deps: Deps }>(
  build: (db: Knex) => Promise<W>,
): Served<W> {
  let t: TestDb | undefined;
  let world: W | undefined;
  let server: Server | undefined;
  let base: string | undefined;
  let browser: Browser | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`servedInChromium: no ${what} before beforeAll has run`);
    return value;
  };

  beforeAll(async () => {
    t = await freshDb();
    const w = await build(t.knex);
    world = w;
    const s = w.app.listen(0, '127.0.0.1');
    server = s;
    await new Promise<void>((resolve) => s.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    w.deps.config.PUBLIC_BASE_URL = base;
    browser = await launchChromium();
  }, 180000);

  afterAll(async () => {
    await browser?.close();
    // Open connections first (a page's event stream stays open), then the server itself.
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await t?.drop();
  });

  const fillLogin = async (page: Page, user: Account) => {
    await page.goto(`${served.base}/login`);
    await page.getByLabel('Nama pengguna').fill(user.username);
    await page.getByLabel('Kata sandi').fill(user.password);
  };

  const served: Served<W> = {
    get world() {
      return ready(world, 'world');
    },
    get db() {
      return ready(t, 'database').knex;
    },
    get base() {
      return ready(base, 'server');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    async logIn(page, user) {
      await fillLogin(page, user);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForLoadState('domcontentloaded');
    },
    async loggedIn(user, viewport = DESKTOP) {
      const context = await served.browser.newContext({ viewport, locale: 'id-ID', acceptDownloads: true });
      const page = await context.newPage();
      await fillLogin(page, user);
      await Promise.all([
        page.waitForURL((u) => !u.pathname.startsWith('/login')),
        page.getByRole('button', { name: 'Masuk' }).click(),
      ]);
      return { context, page };
    },
  };
  return served;
}
