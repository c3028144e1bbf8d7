import type { Knex } from 'knex';

// A card number is never stored whole (issue 13, item 4). payments.masked_pan has refused one
// since it was made (first 6 / last 4 at most, [*Xx] between); settlement_lines.masked_pan now
// does too, in the form the importer writes it: at most 6 digits, one or more *, at most 4
// digits; 7 or 8 digits before at least four * (PCI DSS 4.0's 8-digit BIN, as Mandiri writes
// its domestic cards: 60329886****7570); or the last 4 alone. Never a run of 13-19 digits,
// never more than 12 digits of a 16-digit card.
//
// A line stored before this that shows more (a bank file with full PANs, imported by the old
// importer) is masked here to its first 6 and last 4 digits, as the importer now does: the one
// change ever made to a settlement line, with its immutability trigger off for the statement.
// The copies of those files in bank_files.content are not rewritten here: which cell of a file
// is its card column is known only to its parser, and the evidence is not re-parsed in SQL.
//
// acquirers.qris_merchant_pan is not a card number: it is the QRIS Merchant PAN, the merchant's
// account identifier printed inside every QR code it shows, 16-19 digits by definition.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function pg_temp.mask_stored_pan(v text) returns text language plpgsql immutable as $$
    declare
      d text := regexp_replace(v, '[^0-9]', '*', 'g');
      n int := length(d);
      t int;
      l int;
    begin
      t := least(4, length(substring(d from '[0-9]*$')), greatest(0, n - 1));
      l := least(6, length(substring(d from '^[0-9]*')), greatest(0, n - 1 - t));
      return left(d, l) || repeat('*', n - l - t) || right(d, t);
    end $$;
    alter table settlement_lines disable trigger settlement_lines_immutable;
    update settlement_lines set masked_pan = nullif(pg_temp.mask_stored_pan(masked_pan), '')
     where masked_pan !~ '^([0-9]{0,6}[*]+[0-9]{0,4}|[0-9]{7,8}[*]{4,}[0-9]{0,4}|[0-9]{1,4})$';
    alter table settlement_lines enable trigger settlement_lines_immutable;
    alter table settlement_lines add constraint settlement_lines_masked_pan
      check (masked_pan is null or masked_pan ~ '^([0-9]{0,6}[*]+[0-9]{0,4}|[0-9]{7,8}[*]{4,}[0-9]{0,4}|[0-9]{1,4})$') not valid;
    alter table settlement_lines validate constraint settlement_lines_masked_pan;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table settlement_lines drop constraint settlement_lines_masked_pan');
}
