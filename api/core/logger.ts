import pino from 'pino';
import { maskCardNumbers } from './pan';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      // Card data never reaches a log line, whatever a caller passes in.
      redact: {
        paths: ['req.headers.authorization', '*.pan', '*.card', '*.password', '*.secret'],
        censor: '[redacted]',
      },
      // A card number in a URL (a PAN pasted into a path or a query string) is masked to its first
      // 6 and last 4 digits in the request line and in every error line that names the URL.
      formatters: { log: maskLoggedUrls },
    },
    destination,
  );
}

function maskLoggedUrls(object: Record<string, unknown>): Record<string, unknown> {
  let out = object;
  for (const key of ['path', 'url'] as const) {
    const value = object[key];
    if (typeof value === 'string') {
      const masked = maskCardNumbers(value);
      if (masked !== value) out = { ...out, [key]: masked };
    }
  }
  return out;
}
