// SNAP answers: responseCode = HTTP status (3) + service code (2) + case code (2), with ASPI's
// messages (../shared/conformance/SNAP_QRIS.md §5). The HTTP status is the code's first three digits.
export interface SnapAnswer {
  status: number;
  body: { responseCode: string; responseMessage: string } & Record<string, unknown>;
  /** the payment recorded (or replayed), for the archive's outcome */
  paymentId?: string | null;
}

export const SERVICE = { token: '73', notify: '52' } as const;

export function snapAnswer(status: number, service: string, caseCode: string, message: string, extra = {}): SnapAnswer {
  return { status, body: { responseCode: `${status}${service}${caseCode}`, responseMessage: message, ...extra } };
}

export const ok = (service: string, extra = {}) => snapAnswer(200, service, '00', 'Successful', extra);
export const badRequest = (service: string, message = 'Bad Request') => snapAnswer(400, service, '00', message);
export const invalidField = (service: string, field: string) =>
  snapAnswer(400, service, '01', `Invalid Field Format ${field}`);
export const missingField = (service: string, field: string) =>
  snapAnswer(400, service, '02', `Invalid Mandatory Field ${field}`);
export const unauthorized = (service: string, reason: string) =>
  snapAnswer(401, service, '00', `Unauthorized. ${reason}`);
export const invalidToken = (service: string) => snapAnswer(401, service, '01', 'Invalid Token (B2B)');
export const notFound = (service: string) => snapAnswer(404, service, '01', 'Transaction Not Found');
export const conflict = (service: string) => snapAnswer(409, service, '00', 'Conflict');
export const generalError = (service: string) => snapAnswer(500, service, '00', 'General Error');
