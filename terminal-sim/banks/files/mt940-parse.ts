// A small MT940 reader: enough to check that a statement balances, ours or a real bank's. It
// takes what the Indonesian samples do (../shared/conformance/mt940/id_*): lines indented with
// spaces (BRI), amounts without a decimal comma (BTN, BRI), no entry date in :61: (CIMB), CRLF
// or LF, {1:}{2:}{4: block headers, several messages in one file. Balance mismatch is reported,
// never thrown: many real files do not balance.
import Decimal from 'decimal.js';

export type Mt940Mark = 'C' | 'D' | 'RC' | 'RD';

export interface Mt940Balance {
  mark: 'C' | 'D';
  /** YYYY-MM-DD */
  date: string;
  currency: string;
  /** Unsigned, with a decimal point */
  amount: string;
}

export interface Mt940Entry {
  valueDate: string;
  /** MMDD, when the bank wrote one */
  entryDate?: string;
  mark: Mt940Mark;
  amount: string;
  /** N + 3 characters, e.g. NTRF */
  type: string;
  reference: string;
  bankReference?: string;
  /** The optional second line of :61: */
  supplementary?: string;
  description: string;
}

export interface Mt940Statement {
  reference: string;
  account: string;
  statementNumber: string;
  opening?: Mt940Balance;
  closing?: Mt940Balance;
  entries: Mt940Entry[];
}

const FIELD = /^:([0-9A-Z]{2}[A-Z]?):(.*)$/;
const BALANCE = /^([CD])(\d{6})([A-Z]{3})(\d+(?:,\d*)?)$/;
const LINE61 = /^(\d{6})(\d{4})?(RC|RD|C|D)[A-Z]?(\d+(?:,\d*)?)([NFS][A-Z0-9 ]{3})(.*?)(?:\/\/(.*))?$/;

/** 1000,5 and 1000 and 1000, all read as decimal strings. */
function amount(text: string): string {
  return new Decimal(text.replace(',', '.').replace(/\.$/, '')).toFixed();
}

/** YYMMDD as YYYY-MM-DD; SWIFT's two-digit years are this century. */
function date(text: string): string {
  return `20${text.slice(0, 2)}-${text.slice(2, 4)}-${text.slice(4, 6)}`;
}

function parseBalance(text: string): Mt940Balance | undefined {
  const m = BALANCE.exec(text.trim());
  return m ? { mark: m[1] as 'C' | 'D', date: date(m[2]), currency: m[3], amount: amount(m[4]) } : undefined;
}

function parse61(text: string): Mt940Entry | undefined {
  const [first, ...rest] = text.split('\n');
  const m = LINE61.exec(first.trim());
  if (!m) return undefined;
  return {
    valueDate: date(m[1]), entryDate: m[2], mark: m[3] as Mt940Mark, amount: amount(m[4]), type: m[5],
    reference: m[6].trim(), bankReference: m[7]?.trim() || undefined,
    supplementary: rest.join(' ').trim() || undefined, description: '',
  };
}

/** The fields of a file as [tag, text], continuation lines joined with \n. */
function fields(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const m = FIELD.exec(line);
    if (m) out.push([m[1], m[2]]);
    else if (line.startsWith('-')) out.push(['-', '']);
    else if (line !== '' && !line.startsWith('{') && out.length > 0) out[out.length - 1][1] += `\n${line}`;
  }
  return out;
}

export function parseMt940(text: string): Mt940Statement[] {
  const statements: Mt940Statement[] = [];
  let current: Mt940Statement | undefined;
  let last: Mt940Entry | undefined;
  for (const [tag, value] of fields(text)) {
    if (tag === '20') {
      current = { reference: value.trim(), account: '', statementNumber: '', entries: [] };
      statements.push(current);
      last = undefined;
    } else if (!current) continue;
    else if (tag === '25') current.account = value.trim();
    else if (tag === '28C' || tag === '28') current.statementNumber = value.trim();
    else if (tag === '60F' || tag === '60M') current.opening = parseBalance(value);
    else if (tag === '62F' || tag === '62M') current.closing = parseBalance(value);
    else if (tag === '61') {
      last = parse61(value);
      if (last) current.entries.push(last);
    } else if (tag === '86' && last) {
      last.description = value.split('\n').map((l) => l.trimEnd()).join('\n');
      last = undefined;
    } else if (tag === '-') current = undefined;
  }
  return statements;
}

export interface Mt940BalanceCheck {
  opening: Decimal;
  closing: Decimal;
  credits: Decimal;
  debits: Decimal;
  /** opening + credits - debits = closing */
  balances: boolean;
}

const signed = (b: Mt940Balance | undefined) => (b ? new Decimal(b.amount).times(b.mark === 'D' ? -1 : 1) : new Decimal(NaN));

/** Per statement: opening + credits - debits against closing. RC (reversal of a credit) counts as
 * a debit and RD as a credit, which is what makes the German SEPA sample balance. */
export function parseMt940Balances(text: string): Mt940BalanceCheck[] {
  return parseMt940(text).map((s) => {
    const total = (marks: Mt940Mark[]) =>
      s.entries.filter((e) => marks.includes(e.mark)).reduce((acc, e) => acc.plus(e.amount), new Decimal(0));
    const credits = total(['C', 'RD']);
    const debits = total(['D', 'RC']);
    const opening = signed(s.opening);
    const closing = signed(s.closing);
    return { opening, closing, credits, debits, balances: opening.plus(credits).minus(debits).eq(closing) };
  });
}
