// A terminal's offline queue: approved card payments kept as JSON lines in a file of its own
// while there is no signal, uploaded in order when the signal returns, then cleared. A file
// rather than memory because that is what survives a terminal restart, and what a lost-queue
// fault takes away.
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CardPaymentBody {
  clientTxnId: string;
  stallId: string;
  amount: string;
  paidAt: string;
  card: {
    tid: string;
    mid: string;
    stan: string;
    rrn: string;
    approvalCode: string;
    maskedPan: string;
    responseCode: string;
    /** The EDC's batch and invoice (trace) numbers, printed on its slip */
    batch?: string;
    invoice?: string;
  };
}

export class OfflineJournal {
  readonly file: string;

  constructor(dir: string, terminalId: string) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${terminalId}.jsonl`);
    rmSync(this.file, { force: true });
  }

  append(body: CardPaymentBody): void {
    appendFileSync(this.file, `${JSON.stringify(body)}\n`);
  }

  entries(): CardPaymentBody[] {
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CardPaymentBody);
  }

  /** The last `n` entries vanish (the terminal died before they were written out). */
  loseLast(n: number): CardPaymentBody[] {
    const all = this.entries();
    const lost = all.splice(Math.max(0, all.length - n));
    writeFileSync(this.file, all.map((e) => `${JSON.stringify(e)}\n`).join(''));
    return lost;
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
