import { parse } from 'csv-parse/sync';
import { BNI_COLUMNS, writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import {
  MANDIRI_DETAIL_COLUMNS,
  MANDIRI_SUMMARY_COLUMNS,
  writeMandiriMerchantStatement,
} from '../../terminal-sim/banks/files/mandiri-merchant-statement';
import { BankFileInputError } from '../../terminal-sim/banks/files/file-format';
import { coarseShape, exactShape, make, readConformance } from './bank-files-support';

const BNI_REAL = ['settlement/cashlez_bni_debit_20200521.csv', 'settlement/cashlez_bni_kredit_20200521.csv'];
const MANDIRI_REAL = 'settlement/cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv';

function rows(text: string): string[][] {
  return parse(text, { relax_column_count: true }) as string[][];
}

/** The Mandiri sheet cut at its section labels. */
function mandiriSections(text: string) {
  const all = rows(text);
  const at = (label: string) => all.findIndex((r) => r[0] === label);
  const detailEnd = all.findIndex((r, i) => i > at('DETAIL') && r[0] === 'TOTAL');
  return {
    head: all.slice(0, at('DETAIL')),
    detailHeader: all[at('DETAIL') + 1],
    detail: all.slice(at('DETAIL') + 2, detailEnd),
    detailTotal: all[detailEnd],
    summaryHeader: all[at('SUMMARY GROUP') + 1],
    summary: all.slice(at('SUMMARY GROUP') + 2, all.length - 1),
    summaryTotal: all[all.length - 1],
  };
}

describe('BNI settlement CSV', () => {
  const lines = [make.line(), make.qrisLine()];

  test('writes the real layout, dates DD/MM/YYYY, RATE in percent, X-masked card, STOP last, no RRN', () => {
    expect(writeBniSettlementCsv(make.meta(), lines)).toBe(
      'PROC DATE,MID,OB,GB,SEQ,TYPE,TRX DATE,AUTH,CARD NO,AMOUNT,TID,JENIS TRX,PTR,RATE,DISC AMOUNT,AIR FARE,PLAN,SS AMOUNT,SS FEE TYPE,FLAG,NETT AMOUNT,MERCHANT ACCOUNT,MERCHANT NAME\r\n' +
        '25/11/2026,2122008903,00001,67377,001,M,24/11/2026,353440,519893XXXXXX8977,233000,90807101,,0,0.15,350,0,,0,0,,232650,0001650090000887,PEMKAB MAGELANG RETRIBUSI\r\n' +
        '25/11/2026,2122008903,00001,67378,001,Q,24/11/2026,,,7500,PSRREJO1,,0,0,0,0,,0,0,,7500,0001650090000887,PEMKAB MAGELANG RETRIBUSI\r\n' +
        'STOP\r\n',
    );
  });

  test('an acquirer whose file carries an RRN (settlementRrn) gets it as one column after the real ones', () => {
    const out = rows(writeBniSettlementCsv(make.meta({ settlementRrn: true }), lines));
    expect(out[0]).toEqual([...BNI_COLUMNS, 'RRN']);
    expect(out.slice(1, 3).map((r) => r[23])).toEqual(['633012000145', '000000031507']);
  });

  test.each(BNI_REAL)('the header is the 23 columns of the real %s, in order, and nothing else', (file) => {
    const realHeader = rows(readConformance(file))[0];
    const ours = rows(writeBniSettlementCsv(make.meta(), lines))[0];
    expect(realHeader).toEqual([...BNI_COLUMNS]);
    expect(ours).toEqual(realHeader);
  });

  test('a card row has, column by column, the cell shapes of the real debit and credit files', () => {
    const real = BNI_REAL.flatMap((f) =>
      rows(readConformance(f))
        .slice(1)
        .filter((r) => r[0] !== 'STOP'),
    );
    const ours = rows(
      writeBniSettlementCsv(make.meta(), [make.line({ maskedPan: '601900******7079', approvalCode: 'R23334' })]),
    )[1];
    // Fixed-width codes must match character for character; amounts and ids only in kind.
    const exact = new Set([
      'PROC DATE',
      'OB',
      'SEQ',
      'TYPE',
      'TRX DATE',
      'AUTH',
      'CARD NO',
      'PTR',
      'AIR FARE',
      'SS AMOUNT',
      'SS FEE TYPE',
      'MERCHANT ACCOUNT',
      'JENIS TRX',
      'PLAN',
      'FLAG',
    ]);
    const odd = BNI_COLUMNS.filter((column, i) => {
      const shape = exact.has(column) ? exactShape : coarseShape;
      return column !== 'MERCHANT NAME' && !real.some((r) => shape(r[i]) === shape(ours[i]));
    });
    expect(odd).toEqual([]);
  });

  test('SEQ counts rows within each settlement batch (GB), in the order given', () => {
    const out = rows(
      writeBniSettlementCsv(make.meta(), [
        make.line({ approvalCode: '000001' }),
        make.line({ approvalCode: '000002', batch: '67380' }),
        make.line({ approvalCode: '000003' }),
      ]),
    );
    expect(out.slice(1, 4).map((r) => [r[3], r[4], r[7]])).toEqual([
      ['67377', '001', '000001'],
      ['67380', '001', '000002'],
      ['67377', '002', '000003'],
    ]);
  });

  test('refuses a line whose net is not gross minus MDR, as no bank would write it', () => {
    expect(() => writeBniSettlementCsv(make.meta(), [make.line({ net: '232651' })])).toThrow(BankFileInputError);
    expect(() => writeBniSettlementCsv(make.meta(), [make.line({ gross: '2.33e5' })])).toThrow(/decimal string/);
  });

  test('the same input gives the same bytes', () => {
    expect(writeBniSettlementCsv(make.meta(), lines)).toBe(writeBniSettlementCsv(make.meta(), lines));
  });
});

describe('Mandiri merchant statement', () => {
  const lines = [make.line({ maskedPan: '601900******7079', mdr: '349.5', net: '232650.5' }), make.qrisLine()];

  test('writes header block, DETAIL with gross only, SUMMARY GROUP with MDR (half up to the rupiah) and net, Excel serial dates', () => {
    const name = 'PEMKAB MAGELANG RETRIBUSI PASAR ,Pemkab Magelang Retribusi Pasar ,';
    const accounts = "'1650090000887,'                   ,";
    expect(writeMandiriMerchantStatement(make.meta(), lines)).toBe(
      "MERCHANT STATEMENT\r\nPayment Date,46351\r\nGroup,'2122008903\r\nGroup Name,PEMKAB MAGELANG RETRIBUSI PASAR\r\nDETAIL\r\n" +
        'MID,Merchant Official,Trading Name,Bank Mandiri ACC,Other Bank ACC,MerchACC,TRXDATE,SETTLEDATE,TRXCODE,DESCRIPTION,CARD,CRDTYPE,TID,AUTHCODE,PAYMENTBATCH,TIDBATCH,BATCHSEQ,AMOUNT,NonMdrAMOUNT\r\n' +
        `2122008903,${name}${accounts}67,46350,46351,5,RETAIL                   ,601900******7079,NPG       ,90807101,'353440',67377,1,1,233000,0\r\n` +
        `2122008903,${name}${accounts}93,46350,46351,5,RETAIL                   ,,QRIS      ,PSRREJO1,'',67378,1,1,7500,0\r\n` +
        'TOTAL,,,,,,,,,,,,,,,,,240500,0\r\nSUMMARY GROUP\r\n' +
        'MID,Merchant Official,Trading Name,Bank Mandiri ACC,Other Bank ACC,MerchACC,PAYMENTDATE,MerchAGR,NETWORK,DESCRIPTION,PAYMENTBATCH,TOTAMOUNT,MDRAMOUNT,NETAMOUNT\r\n' +
        `2122008903,${name}${accounts}67,46351,603,N  ,NPG${' '.repeat(47)},67377,233000,350,232650\r\n` +
        `2122008903,${name}${accounts}93,46351,609,Q  ,QRIS${' '.repeat(46)},67378,7500,0,7500\r\n` +
        'TOTAL,,,,,,,,,,,240500,350,240150\r\n',
    );
  });

  test('sections, labels and column headers are those of the real statement; RRN only when asked, in DETAIL only', () => {
    const real = mandiriSections(readConformance(MANDIRI_REAL));
    const ours = mandiriSections(writeMandiriMerchantStatement(make.meta(), lines));
    expect(ours.head.map((r) => r[0])).toEqual(real.head.map((r) => r[0]));
    expect(real.detailHeader).toEqual([...MANDIRI_DETAIL_COLUMNS]);
    expect(ours.detailHeader).toEqual(real.detailHeader);
    const withRrn = mandiriSections(writeMandiriMerchantStatement(make.meta({ settlementRrn: true }), lines));
    expect(withRrn.detailHeader).toEqual([...real.detailHeader, 'RRN']);
    expect(withRrn.summaryHeader).toEqual(real.summaryHeader);
    expect(ours.summaryHeader).toEqual(real.summaryHeader);
    expect(real.summaryHeader).toEqual([...MANDIRI_SUMMARY_COLUMNS]);
    expect([ours.detailTotal.length, ours.summaryTotal.length]).toEqual([real.detailTotal.length, 14]);
  });

  test('detail and summary cells have the real widths and shapes, column by column', () => {
    const real = mandiriSections(readConformance(MANDIRI_REAL));
    const ours = mandiriSections(writeMandiriMerchantStatement(make.meta(), [make.line({ approvalCode: 'R08906' })]));
    const padded = new Set([
      'Merchant Official',
      'Bank Mandiri ACC',
      'Other Bank ACC',
      'DESCRIPTION',
      'CRDTYPE',
      'NETWORK',
    ]);
    // Text cells compare by width, the rest by shape; Trading Name is free text (32 wide here, and
    // the real one holds replacement characters where the xlsx had non-breaking spaces).
    const odd = (header: string[], realRows: string[][], ourRow: string[]) =>
      header.filter((column, i) => {
        const shape = (cell: string) => (padded.has(column) ? String(Array.from(cell).length) : coarseShape(cell));
        return column !== 'Trading Name' && !realRows.some((r) => shape(r[i]) === shape(ourRow[i]));
      });
    expect(odd(real.detailHeader, real.detail, ours.detail[0])).toEqual([]);
    expect(odd(real.summaryHeader, real.summary, ours.summary[0])).toEqual([]);
  });

  test('one summary row per MID x network x batch, TOTAMOUNT - MDRAMOUNT = NETAMOUNT, totals of both sections agree', () => {
    const many = [
      make.line({ rrn: '1' }),
      make.line({ rrn: '2', maskedPan: '451249******9867', gross: '10000', mdr: '15', net: '9985' }),
      make.line({ rrn: '3', gross: '5000', mdr: '7.5', net: '4992.5' }),
      make.qrisLine(),
    ];
    const s = mandiriSections(writeMandiriMerchantStatement(make.meta(), many));
    expect(s.summary.map((r) => [r[8].trim(), r[11], r[12], r[13]])).toEqual([
      ['M', '238000', '358', '237642'],
      ['V', '10000', '15', '9985'],
      ['Q', '7500', '0', '7500'],
    ]);
    expect(s.detailTotal[17]).toBe(s.summaryTotal[11]);
    expect(s.summaryTotal.slice(11)).toEqual(['255500', '373', '255127']);
  });

  test('BATCHSEQ counts within a terminal batch, as the EDC numbered its slips', () => {
    const s = mandiriSections(
      writeMandiriMerchantStatement(make.meta(), [
        make.line({ rrn: '1', terminalBatch: '125' }),
        make.line({ rrn: '2', tid: '90807102' }),
        make.line({ rrn: '3', terminalBatch: '125' }),
      ]),
    );
    expect(s.detail.map((r) => [r[12], r[15], r[16]])).toEqual([
      ['90807101', '125', '1'],
      ['90807102', '1', '1'],
      ['90807101', '125', '2'],
    ]);
  });

  test('the same input gives the same bytes', () => {
    expect(writeMandiriMerchantStatement(make.meta(), lines)).toBe(writeMandiriMerchantStatement(make.meta(), lines));
  });
});
