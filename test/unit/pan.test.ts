// Card numbers are refused and masked wherever they appear, but an id is not a card.
import { holdsCardNumber, maskCardNumbers, passesLuhn } from '../../api/core/pan';

// A UUID whose middle groups are digits that read as a PAN printed in fours, Luhn valid.
const groups = '4111-1111-1111-1111';
const idLikePan = `abcd${groups}-abcdef012345`;

describe('card numbers beside ids', () => {
  it('reads the grouped digits of the id as a Luhn-valid PAN on their own', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(holdsCardNumber(groups)).toBe(true);
  });

  it('does not take a UUID for a card number', () => {
    expect(holdsCardNumber(idLikePan)).toBe(false);
    expect(holdsCardNumber(`stall ${idLikePan} paid`)).toBe(false);
    expect(maskCardNumbers(`stall ${idLikePan}`)).toBe(`stall ${idLikePan}`);
  });

  it('still finds and masks a card number next to an id', () => {
    const text = `stall ${idLikePan} card 4111 1111 1111 1111`;
    expect(holdsCardNumber(text)).toBe(true);
    expect(maskCardNumbers(text)).toBe(`stall ${idLikePan} card 4111 11** **** 1111`);
    expect(holdsCardNumber('abcd4111-1111-1111-1111')).toBe(true);
  });
});
