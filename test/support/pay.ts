// A card payment through the API, as a terminal sends it: POST /api/v1/payments/card with the
// terminal's token and cardBody's defaults unless told (amount Rp 3.000, paid now).
import request from 'supertest';
import { cardBody } from './scenario';

type App = Parameters<typeof request>[0];

/** What a card payment needs: the stall paid for, the terminal that read the card, its token. */
export interface CardPayer {
  stall: { id: string };
  terminal: { tid: string; mid: string };
  terminalToken: string;
}

export type CardOverrides = Parameters<typeof cardBody>[1];

/** The request, to check its answer (a refusal, a replay). */
export const postCard = (app: App, s: CardPayer, o: CardOverrides = {}) =>
  request(app).post('/api/v1/payments/card').set('Authorization', `Bearer ${s.terminalToken}`).send(cardBody(s, o));

export interface CardPaid {
  paymentId: string;
  businessDate: string;
  receipt: { code: string };
  [field: string]: unknown;
}

/** A payment the test needs recorded: its answer's body, or an error with the answer if refused. */
export async function pay(app: App, s: CardPayer, o: CardOverrides = {}): Promise<CardPaid> {
  const res = await postCard(app, s, o);
  if (res.status !== 201) throw new Error(`the card payment was refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
