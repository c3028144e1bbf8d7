// What a region's day at the banks is closed from: its terminals, the acquirers' own logs, and
// what the API acknowledged. Its own file so the end of the day and its manifest both read it.
import type { LedgerRecord, LostPayment, SnapFault } from '../day';
import type { RegionInfo } from '../setup/world';
import type { TerminalInfo } from '../setup/terminals';
import type { CardAcquirer } from './card-acquirer';
import type { QrisAcquirer } from './qris-acquirer';

export interface RegionDay {
  region: RegionInfo;
  terminals: TerminalInfo[];
  card: CardAcquirer;
  qris?: QrisAcquirer;
  /** What the API acknowledged in this region */
  ledger: LedgerRecord[];
  lost: LostPayment[];
  /** SNAP notification faults (absent on a simple-hmac day) */
  snapFaults?: SnapFault[];
}
