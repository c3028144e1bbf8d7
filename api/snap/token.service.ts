// POST /snap/{acquirer}/v1.0/access-token/b2b: a bank that notifies with a bearer token fetches it
// here first (SNAP_QRIS.md §1.6). Its X-SIGNATURE is SHA256withRSA over X-CLIENT-KEY|X-TIMESTAMP,
// verified with the bank's public key; errors as BRI's merchant library answers them.
import type { Deps } from '../core/deps';
import { snapAcquirerByCode } from '../acquirers/acquirers.service';
import { B2B_TOKEN_TTL_SECONDS, signB2bToken } from './b2b-token';
import { parseSnapTimestamp, tokenStringToSign, verifyAsymmetric } from './signature';
import { badRequest, ok, SERVICE, type SnapAnswer, snapAnswer, unauthorized } from './snap-answers';
import { snapTokenRequestSchema } from './snap.schemas';

export interface TokenRequest {
  acquirerCode: string;
  clientKey?: string;
  timestamp?: string;
  signature?: string;
  rawBody: Buffer;
}

const S = SERVICE.token;

export async function issueB2bToken(deps: Deps, r: TokenRequest): Promise<SnapAnswer> {
  const acquirer = await snapAcquirerByCode(deps.knex, r.acquirerCode);
  if (!acquirer) return unauthorized(S, 'Unknown Client');
  if (!r.clientKey || !r.timestamp || !r.signature) return badRequest(S);
  const at = parseSnapTimestamp(r.timestamp);
  const skewMs = deps.config.QRIS_NOTIFICATION_MAX_SKEW_SECONDS * 1000;
  if (!at || Math.abs(deps.clock.now().getTime() - at.getTime()) > skewMs)
    return snapAnswer(400, S, '01', 'Invalid Field Format X-TIMESTAMP');
  const { settings } = acquirer;
  const signed = verifyAsymmetric(
    settings.bankPublicKey,
    tokenStringToSign(r.clientKey, r.timestamp),
    r.signature,
    settings.signatureEncoding,
  );
  if (r.clientKey !== settings.clientId || !signed) return unauthorized(S, 'Invalid Signature');
  if (!snapTokenRequestSchema.safeParse(jsonOf(r.rawBody)).success) return badRequest(S);
  return ok(S, {
    accessToken: signB2bToken(deps.config.JWT_SECRET, acquirer.acquirerId, deps.clock.now().getTime()),
    tokenType: 'Bearer',
    expiresIn: String(B2B_TOKEN_TTL_SECONDS),
  });
}

function jsonOf(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
