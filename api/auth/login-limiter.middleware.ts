// The login limiter's view of a request: the address it counts failures by.
import type { Request } from 'express';
import { addressKey } from './login-limiter.service';

/** The client's address as Express sees it (X-Forwarded-For only as far as trust proxy allows),
 * as the limiter counts it: IPv6 clients per /64. */
export function clientAddress(req: Request): string {
  return addressKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}
