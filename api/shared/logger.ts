import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
    level,
    // Card data never reaches a log line, whatever a caller passes in.
    redact: { paths: ['req.headers.authorization', '*.pan', '*.card', '*.password', '*.secret'], censor: '[redacted]' },
    },
    destination,
  );
}
