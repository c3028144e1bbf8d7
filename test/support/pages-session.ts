// The pages' session as a browser has it, for the supertest page tests: the login form's CSRF
// token, the form posted, the session cookie the answer sets (the agent keeps it), and the CSRF
// token of the page it lands on for the forms a test then posts.
import request from 'supertest';

export interface Account {
  username: string;
  password: string;
}

export type Agent = ReturnType<typeof request.agent>;
type App = Parameters<typeof request.agent>[0];

/** A hidden field's value in a page's HTML (the CSRF token, lanjut, ...). */
export const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];

/** The Set-Cookie lines of a response (supertest types the header as a string). */
export const setCookies = (res: { headers: Record<string, unknown> }) =>
  (res.headers['set-cookie'] as string[] | undefined) ?? [];

/** The session cookie a response sets, as a Cookie header carries it ("eret_sesi=..."). */
export const sessionCookie = (res: { headers: Record<string, unknown> }) =>
  setCookies(res)
    .find((c) => /^eret_sesi=[^;]/.test(c))
    ?.split(';')[0];

/** The login form's answer for these credentials, on a fresh agent (303 when they work). */
export async function postLogin(app: App, user: Account) {
  const agent = request.agent(app);
  const form = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: hidden(form.text, '_csrf'), username: user.username, password: user.password });
  return { agent, res };
}

/**
 * Logs in through the form as a browser does; the agent keeps the cookies. `home` is the page
 * then read for its CSRF token (where the login sent the browser unless told).
 */
export async function pagesLogin(app: App, user: Account, o: { home?: string } = {}) {
  const { agent, res } = await postLogin(app, user);
  if (res.status !== 303) throw new Error(`login as ${user.username} failed: ${res.status} ${res.text.slice(0, 300)}`);
  const location = res.headers.location as string;
  const home = await agent.get(o.home ?? location);
  return { agent, csrf: hidden(home.text, '_csrf')!, cookie: sessionCookie(res)!, location, home };
}
