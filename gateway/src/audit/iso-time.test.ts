import { isoTime } from './audit-log';

test('isoTime formats like Date.prototype.toISOString, across seconds, years and leap days', () => {
  const samples = [
    0,
    999,
    1000,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.UTC(2024, 2, 1),
    Date.UTC(2026, 11, 31, 23, 59, 59, 7),
    Date.UTC(2027, 0, 1, 0, 0, 0, 42),
    1_764_680_669_500.75, // fractional milliseconds are dropped, as Date does
  ];
  let seed = 7;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    samples.push(1_700_000_000_000 + (seed % 200_000_000_000));
    samples.push(samples[samples.length - 1] + 1); // same second, next millisecond (the cached prefix)
  }
  for (const ms of samples) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
});
