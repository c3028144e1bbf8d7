// A Server-Sent Events response for the payment stream: `event: payment` per payment (its id is
// the payment's), a comment every heartbeat so proxies and load balancers keep the connection,
// and everything let go when the client disconnects.
import type { ServerResponse } from 'node:http';
import type { PaymentStream } from './payment-stream';

export const HEARTBEAT_MS = 15_000;

/** A client that reads slower than payments arrive is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1 << 20;

export async function streamPayments(
  stream: PaymentStream,
  regionId: string | undefined,
  res: ServerResponse,
  heartbeatMs = HEARTBEAT_MS,
): Promise<void> {
  let heartbeat: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let open = false;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe?.();
    if (!res.writableEnded) res.end();
  };
  const write = (text: string) => {
    if (!open || ended) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) return end();
    res.write(text);
  };
  res.on('close', end);

  // Subscribed (LISTEN in place) before the 200 goes out: a client that has seen the stream
  // open misses no payment recorded after that. A failure here is still a JSON error.
  unsubscribe = await stream.subscribe({
    regionId,
    send: (e) => write(`id: ${e.paymentId}\nevent: payment\ndata: ${JSON.stringify(e)}\n\n`),
    close: end,
  });
  if (ended) return unsubscribe(); // the client left while we were subscribing

  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    // nginx and similar proxies buffer responses unless told not to.
    'X-Accel-Buffering': 'no',
  });
  open = true;
  write(`retry: 3000\n: ready\n\n`);
  heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
}
