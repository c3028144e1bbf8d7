// The simulator's only way into the system: HTTP requests to the public API, as a terminal, an
// officer or a bank would send them. Keep-alive sockets, a cap on how many are open at once
// (a few hundred terminals must not open a few hundred connections each), and a request count
// for the summary's rate.
import http from 'node:http';
import https from 'node:https';

export interface ApiResponse<T = unknown> {
  status: number;
  /** The parsed JSON body, or undefined when the body is not JSON */
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  /** Sent as is (bank notifications are signed over these exact bytes; CSV imports) */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** An answer the simulator did not expect: it names the request and what came back. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly text: string,
  ) {
    super(`${method} ${path} answered ${status}: ${text.slice(0, 400)}`);
  }
}

export class ApiClient {
  readonly base: URL;
  requests = 0;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(baseUrl: string, maxSockets = 64) {
    this.base = new URL(baseUrl);
    this.transport = this.base.protocol === 'https:' ? https : http;
    const Agent = this.base.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const payload = opts.json !== undefined ? JSON.stringify(opts.json) : opts.raw;
    const headers: Record<string, string | number> = { accept: 'application/json', ...opts.headers };
    if (payload !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const url = new URL(path, this.base);
    this.requests++;
    return this.send<T>(url, method, headers, payload, true);
  }

  // A kept-alive socket the server closed (its keep-alive timeout) just as the request went out
  // fails with ECONNRESET or EPIPE before any answer: nothing reached the API, so the request is
  // sent once more on a new socket (Node's documented pattern, req.reusedSocket). Every request the
  // simulator makes is safe to repeat anyway: payments carry their idempotency key.
  private send<T>(
    url: URL,
    method: string,
    headers: Record<string, string | number>,
    payload: string | undefined,
    mayRetry: boolean,
  ): Promise<ApiResponse<T>> {
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = this.transport.request(url, { method, agent: this.agent, headers }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: parseJson(text) as T, text });
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        const stale = req.reusedSocket && !answered && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        if (stale && mayRetry) resolve(this.send<T>(url, method, headers, payload, false));
        else reject(err);
      });
      req.end(payload);
    });
  }

  /** The body of an answer with the expected status, else an ApiError. */
  async expect<T>(status: number | number[], method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request<T>(method, path, opts);
    const wanted = Array.isArray(status) ? status : [status];
    if (!wanted.includes(res.status)) throw new ApiError(method, path, res.status, res.text);
    return res.body;
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
