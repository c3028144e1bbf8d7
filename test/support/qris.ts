// A bank's side of QRIS in tests: signed notifications.
import request from 'supertest';
import { signNotification } from '../../api/banks/signature';

export const QRIS_SECRET = 'qris-test-secret-0123456789';

export function notify(
  app: Parameters<typeof request>[0],
  acquirerCode: string,
  body: object,
  o: { secret?: string; timestamp?: string; signature?: string } = {},
) {
  const raw = JSON.stringify(body);
  const ts = o.timestamp ?? String(Math.floor(Date.now() / 1000));
  const sig = o.signature ?? signNotification(o.secret ?? QRIS_SECRET, ts, raw);
  return request(app)
    .post(`/api/v1/banks/${acquirerCode}/qris-notifications`)
    .set('content-type', 'application/json')
    .set('x-timestamp', ts)
    .set('x-signature', sig)
    .send(raw);
}

let rrn = 500000;
export function paidBody(
  reference: string,
  amount: string,
  o: Partial<{ rrn: string; paidAt: string; issuer: string }> = {},
) {
  rrn += 1;
  return {
    reference,
    amount,
    rrn: o.rrn ?? `88${String(rrn).padStart(10, '0')}`,
    issuer: o.issuer ?? 'DANA',
    paidAt: o.paidAt ?? new Date().toISOString(),
  };
}
