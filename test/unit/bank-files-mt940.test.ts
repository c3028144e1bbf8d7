import { BankFileInputError } from '../../terminal-sim/banks/files/file-format';
import { writeMt940 } from '../../terminal-sim/banks/files/mt940';
import { mt940Balances } from '../support/mt940-check';
import { make } from './bank-files-support';

describe('MT940', () => {
  test('writes the Indonesian-style message: name blocks, :60F:, one :61: and :86: per entry, :62F:, :64:, CRLF', () => {
    expect(writeMt940(make.statement())).toBe(
      '{1:F01BANK JATENG}{2:I940RKUD KAB MAGELANG}{4:\r\n:20:20261125030008\r\n:25:1010001234\r\n:28C:102\r\n' +
        ':60F:C261125IDR100000,35\r\n' +
        ':61:2611251125C232650,00NTRF67377\r\n:86:STL BNI EDC 20261124 B67377\r\n' +
        ':61:2611251125C7500,00NTRF67378\r\n:86:STL BNI QRIS 20261124 B67378\r\n' +
        ':62F:C261125IDR340150,35\r\n:64:C261125IDR340150,35\r\n-}\r\n',
    );
  });

  test('our output balances when read back: opening + credits - debits = closing, entries intact', () => {
    const statement = make.statement({
      openingBalance: '-5000',
      entries: [
        make.entry({ amount: '232650.50' }),
        make.entry({ direction: 'debit', amount: '2500', reference: 'ADM', description: 'BIAYA ADMIN' }),
      ],
      closingBalance: '225150.50',
    });
    const text = writeMt940(statement);
    const [check] = mt940Balances(text);
    expect([check.opening.toFixed(), check.closing.toFixed(), check.balances]).toEqual(['-5000', '225150.5', true]);
    expect(check.entries.map((e) => [e.direction, e.amount, e.reference, e.description])).toEqual([
      ['credit', '232650.50', '67377', 'STL BNI EDC 20261124 B67377'],
      ['debit', '2500.00', 'ADM', 'BIAYA ADMIN'],
    ]);
  });

  test('refuses a statement that does not balance, naming the difference', () => {
    expect(() => writeMt940(make.statement({ closingBalance: '340150.34' }))).toThrow(BankFileInputError);
    expect(() => writeMt940(make.statement({ closingBalance: '340150.34' }))).toThrow(
      /= 340150.35, not the closing 340150.34/,
    );
  });

  test('refuses a reference MT940 cannot carry unchanged, since reconciliation matches on it', () => {
    for (const reference of ['B12345678901234567', 'B1//2', '/B1', 'B1_2']) {
      expect(() =>
        writeMt940(make.statement({ entries: [make.entry({ reference })], closingBalance: '332650.35' })),
      ).toThrow(/reference/);
    }
  });

  test(':86: holds SWIFT characters only, in at most 6 lines of 65, none starting like a field or the end', () => {
    const description = `PEMBAYARAN_RETRIBUSI ${'-'.repeat(64)}${':20:X'.repeat(100)}`;
    const text = writeMt940(make.statement({ entries: [make.entry({ description })], closingBalance: '332650.35' }));
    const lines = text.split('\r\n');
    const start = lines.findIndex((l) => l.startsWith(':86:'));
    const field86 = [lines[start].slice(4), ...lines.slice(start + 1, lines.indexOf(':62F:C261125IDR332650,35'))];
    expect(field86).toHaveLength(6);
    expect(field86.every((l) => l.length <= 65 && /^[A-Za-z0-9/\-?:().,'+ ]*$/.test(l))).toBe(true);
    expect(field86[0]).toMatch(/^PEMBAYARAN RETRIBUSI -/);
    expect(field86.slice(1).some((l) => /^\s*[:-]/.test(l))).toBe(false);
    expect(mt940Balances(text)[0].balances).toBe(true);
  });

  test('the same statement gives the same bytes', () => {
    expect(writeMt940(make.statement())).toBe(writeMt940(make.statement()));
  });
});
