import Decimal from 'decimal.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { writeCamt053 } from '../../terminal-sim/banks/files/camt053';
import { BankFileInputError } from '../../terminal-sim/banks/files/file-format';
import { make } from './bank-files-support';

const CAMT_ONE_ENTRY = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>CAMT053-20261125030008-102</MsgId>
      <CreDtTm>2026-11-25T03:00:08Z</CreDtTm>
      <MsgPgntn>
        <PgNb>1</PgNb>
        <LastPgInd>true</LastPgInd>
      </MsgPgntn>
    </GrpHdr>
    <Stmt>
      <Id>1010001234-20261125</Id>
      <ElctrncSeqNb>102</ElctrncSeqNb>
      <CreDtTm>2026-11-25T03:00:08Z</CreDtTm>
      <Acct>
        <Id>
          <Othr>
            <Id>1010001234</Id>
          </Othr>
        </Id>
        <Ccy>IDR</Ccy>
        <Ownr>
          <Nm>RKUD KAB MAGELANG</Nm>
        </Ownr>
        <Svcr>
          <FinInstnId>
            <BIC>PDJGIDJ1</BIC>
            <Nm>Bank Jateng</Nm>
          </FinInstnId>
        </Svcr>
      </Acct>
      <Bal>
        <Tp>
          <CdOrPrtry>
            <Cd>OPBD</Cd>
          </CdOrPrtry>
        </Tp>
        <Amt Ccy="IDR">100000.35</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt>
          <Dt>2026-11-25</Dt>
        </Dt>
      </Bal>
      <Bal>
        <Tp>
          <CdOrPrtry>
            <Cd>CLBD</Cd>
          </CdOrPrtry>
        </Tp>
        <Amt Ccy="IDR">332650.35</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt>
          <Dt>2026-11-25</Dt>
        </Dt>
      </Bal>
      <TxsSummry>
        <TtlNtries>
          <NbOfNtries>1</NbOfNtries>
          <Sum>232650.00</Sum>
          <TtlNetNtryAmt>232650.00</TtlNetNtryAmt>
          <CdtDbtInd>CRDT</CdtDbtInd>
        </TtlNtries>
        <TtlCdtNtries>
          <NbOfNtries>1</NbOfNtries>
          <Sum>232650.00</Sum>
        </TtlCdtNtries>
        <TtlDbtNtries>
          <NbOfNtries>0</NbOfNtries>
          <Sum>0.00</Sum>
        </TtlDbtNtries>
      </TxsSummry>
      <Ntry>
        <Amt Ccy="IDR">232650.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt>
          <Dt>2026-11-25</Dt>
        </BookgDt>
        <ValDt>
          <Dt>2026-11-25</Dt>
        </ValDt>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>RCDT</Cd>
              <SubFmlyCd>DMCT</SubFmlyCd>
            </Fmly>
          </Domn>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <EndToEndId>67377</EndToEndId>
            </Refs>
            <RmtInf>
              <Ustrd>STL BNI EDC 20261124 B67377 &amp; &lt;fee&gt;</Ustrd>
            </RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;

/** What an importer would take from our camt.053: balances, entries and the summary, signed. */
function readCamt(xml: string) {
  const tree = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    isArray: (n) => ['Ntry', 'Bal', 'Ustrd'].includes(n),
  }).parse(xml);
  const stmt = tree.Document.BkToCstmrStmt.Stmt;
  const signed = (amt: { '#text': string }, ind: string) => new Decimal(amt['#text']).times(ind === 'DBIT' ? -1 : 1);
  const bal = (code: string) => {
    const b = stmt.Bal.find((x: { Tp: { CdOrPrtry: { Cd: string } } }) => x.Tp.CdOrPrtry.Cd === code);
    return signed(b.Amt, b.CdtDbtInd);
  };
  const entries = (stmt.Ntry ?? []).map(
    (n: {
      Amt: { '#text': string; '@_Ccy': string };
      CdtDbtInd: string;
      NtryDtls: { TxDtls: { Refs: { EndToEndId: string }; RmtInf?: { Ustrd: string[] } } };
    }) => ({
      amount: signed(n.Amt, n.CdtDbtInd),
      ccy: n.Amt['@_Ccy'],
      reference: n.NtryDtls.TxDtls.Refs.EndToEndId,
      text: (n.NtryDtls.TxDtls.RmtInf?.Ustrd ?? []).join(''),
    }),
  );
  return { opening: bal('OPBD'), closing: bal('CLBD'), entries, summary: stmt.TxsSummry };
}

describe('camt.053', () => {
  const oneEntry = () =>
    make.statement({
      entries: [make.entry({ description: 'STL BNI EDC 20261124 B67377 & <fee>' })],
      closingBalance: '332650.35',
    });

  test('writes camt.053.001.02 with OPBD and CLBD, one booked Ntry per entry, the reference as EndToEndId, text escaped', () => {
    expect(writeCamt053(oneEntry())).toBe(CAMT_ONE_ENTRY);
  });

  test('is well formed, and its balances and sums agree when parsed back', () => {
    const statement = make.statement({
      accountName: 'RKUD "KAB" <MAGELANG> & Co',
      openingBalance: '-100.5',
      entries: [
        make.entry(),
        make.entry({ amount: '7500', reference: '67378' }),
        make.entry({ direction: 'debit', amount: '2500', reference: 'ADM' }),
      ],
      closingBalance: '237549.50',
    });
    const xml = writeCamt053(statement);
    expect(XMLValidator.validate(xml)).toBe(true);
    const camt = readCamt(xml);
    const net = camt.entries.reduce((acc: Decimal, e: { amount: Decimal }) => acc.plus(e.amount), new Decimal(0));
    expect(camt.opening.plus(net).toFixed(2)).toBe(camt.closing.toFixed(2));
    expect([camt.opening.toFixed(2), camt.closing.toFixed(2)]).toEqual(['-100.50', '237549.50']);
    expect(camt.entries.map((e: { reference: string; ccy: string }) => `${e.reference} ${e.ccy}`)).toEqual([
      '67377 IDR',
      '67378 IDR',
      'ADM IDR',
    ]);
    expect(camt.summary.TtlNtries).toEqual({
      NbOfNtries: '3',
      Sum: '242650.00',
      TtlNetNtryAmt: '237650.00',
      CdtDbtInd: 'CRDT',
    });
    expect([camt.summary.TtlCdtNtries.Sum, camt.summary.TtlDbtNtries.Sum]).toEqual(['240150.00', '2500.00']);
    expect(new XMLParser().parse(xml).Document.BkToCstmrStmt.Stmt.Acct.Ownr.Nm).toBe('RKUD "KAB" <MAGELANG> & Co');
  });

  test('a description over 140 characters is split over several Ustrd, not cut', () => {
    const description = `${'A'.repeat(140)}B${'C'.repeat(10)}`;
    const xml = writeCamt053(make.statement({ entries: [make.entry({ description })], closingBalance: '332650.35' }));
    expect(readCamt(xml).entries[0].text).toBe(description);
    expect(xml).toContain(`<Ustrd>B${'C'.repeat(10)}</Ustrd>`);
  });

  test('refuses a statement that does not balance, and text XML cannot hold', () => {
    expect(() => writeCamt053(make.statement({ closingBalance: '340150.36' }))).toThrow(/does not balance/);
    expect(() => writeCamt053(make.statement({ accountName: 'RKUD\u0001' }))).toThrow(BankFileInputError);
  });

  test('the same statement gives the same bytes', () => {
    expect(writeCamt053(make.statement())).toBe(writeCamt053(make.statement()));
  });
});
