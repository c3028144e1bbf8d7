import { businessDate, isoWeekday, isValidDate, isValidTimeZone, localTimeLabel } from '../../api/core/time';

test('16:30 UTC is already the next business day in Banjar (00:30 WITA) but not yet in Magelang (23:30 WIB)', () => {
  const instant = new Date('2026-11-23T16:30:00Z');
  expect(businessDate(instant, 'Asia/Makassar')).toBe('2026-11-24');
  expect(businessDate(instant, 'Asia/Jakarta')).toBe('2026-11-23');
  expect(businessDate(instant, 'Asia/Jayapura')).toBe('2026-11-24');
});

test('ISO weekdays run from Monday 1 to Sunday 7', () => {
  expect(isoWeekday('2026-11-23')).toBe(1);
  expect(isoWeekday('2026-11-29')).toBe(7);
});

test('dates and zones are validated, not guessed', () => {
  expect(isValidDate('2026-02-29')).toBe(false);
  expect(isValidDate('2028-02-29')).toBe(true);
  expect(isValidDate('23-11-2026')).toBe(false);
  expect(isValidTimeZone('Asia/Makassar')).toBe(true);
  expect(isValidTimeZone('WITA')).toBe(false);
  expect(isValidTimeZone('Mars/Olympus')).toBe(false);
});

test('an instant is shown to people in the local time of the region with its zone name', () => {
  const instant = new Date('2026-11-23T16:30:00Z');
  expect(localTimeLabel(instant, 'Asia/Jakarta')).toBe('23/11/2026 23.30 WIB');
  expect(localTimeLabel(instant, 'Asia/Makassar')).toBe('24/11/2026 00.30 WITA');
});
