import { BankFileInputError } from '../../terminal-sim/banks/files/file-format';
import { writeMt940 } from '../../terminal-sim/banks/files/mt940';
import { parseMt940, parseMt940Balances } from '../../terminal-sim/banks/files/mt940-parse';
import { make, readConformance } from './bank-files-support';

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
      entries: [make.entry({ amount: '232650.50' }), make.entry({ direction: 'debit', amount: '2500', reference: 'ADM', description: 'BIAYA ADMIN' })],
      closingBalance: '225150.50',
    });
    const text = writeMt940(statement);
    const [check] = parseMt940Balances(text);
    expect({ ...check, opening: check.opening.toFixed(), closing: check.closing.toFixed() }).toMatchObject({
      opening: '-5000', closing: '225150.5', balances: true,
    });
    expect(parseMt940(text)[0].entries.map((e) => [e.mark, e.amount, e.reference, e.description])).toEqual([
      ['C', '232650.5', '67377', 'STL BNI EDC 20261124 B67377'], ['D', '2500', 'ADM', 'BIAYA ADMIN'],
    ]);
  });

  test('refuses a statement that does not balance, naming the difference', () => {
    expect(() => writeMt940(make.statement({ closingBalance: '340150.34' }))).toThrow(BankFileInputError);
    expect(() => writeMt940(make.statement({ closingBalance: '340150.34' }))).toThrow(/= 340150.35, not the closing 340150.34/);
  });

  test('refuses a reference MT940 cannot carry unchanged, since reconciliation matches on it', () => {
    for (const reference of ['B12345678901234567', 'B1//2', '/B1', 'B1_2']) {
      expect(() => writeMt940(make.statement({ entries: [make.entry({ reference })], closingBalance: '332650.35' }))).toThrow(/reference/);
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
    expect(parseMt940Balances(text)[0].balances).toBe(true);
  });

  test('the same statement gives the same bytes', () => {
    expect(writeMt940(make.statement())).toBe(writeMt940(make.statement()));
  });
});

describe('parseMt940Balances on the real MT940 files', () => {
  // Statements, transactions and which statements balance, as ../shared/conformance/mt940/SOURCES.md
  // records them (computed there by another tool, or stated by the source projects' tests).
  test.each([
    ['id_BRI_042801020365703.202107140256.txt', 1, 'N'],
    ['id_BTN_IDR_Mock.txt', 2, 'Y'],
    ['id_CIMB_IDR_Payment_mock.txt', 2, 'Y'],
    ['mt940js_test1.mt940', 3, 'YY'],
    ['mt940js_test2.mt940x', 4, 'YY'],
    ['wolph_ASNB_0708271685_09022020_164516.940.txt', 8, 'Y'.repeat(31)],
    ['wolph_betterplace_sepa_mt9401.sta', 97, 'Y'.repeat(26)],
    ['wolph_cmxl_mt940.sta', 16, 'YYY'],
    ['wolph_jejik_abnamro.sta', 10, 'NN'],
    ['wolph_jejik_ing.sta', 7, 'N'],
    ['wolph_jejik_knab.sta', 3, 'YN'],
    ['wolph_jejik_rabobank.sta', 5, 'NYNY'],
    ['wolph_mBank_mt940.sta', 3, 'Y'],
    ['wolph_sberbank_171011_01234945.sta', 3, 'Y'],
    ['wolph_self-provided_raiffeisen-cmi.sta', 7, 'N'],
    ['westpac_npp_mt940-sample-file_via_alfajrimutawadhi.txt', 10, 'N'],
  ])('%s: %i transactions, statements balancing %s', (file, transactions, balancing) => {
    const text = readConformance(`mt940/${file}`);
    expect(parseMt940(text).reduce((n, s) => n + s.entries.length, 0)).toBe(transactions);
    expect(parseMt940Balances(text).map((c) => (c.balances ? 'Y' : 'N')).join('')).toBe(balancing);
  });

  test('reads the CIMB mock: no entry date, no reference, amounts with comma', () => {
    const [cimb] = parseMt940(readConformance('mt940/id_CIMB_IDR_Payment_mock.txt'));
    expect([cimb.account, cimb.opening?.amount, cimb.closing?.amount, cimb.entries[0].entryDate, cimb.entries[0].reference])
      .toEqual(['800052048200', '100000.35', '120000.35', undefined, '']);
  });
});
