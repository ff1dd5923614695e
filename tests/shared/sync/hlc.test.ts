// Hybrid logical clock: string order is causal order, even when the wall clock stalls or
// steps back, and a remote clock far ahead is refused.
import { describe, expect, it } from 'vitest';
import { formatHlc, type Hlc, parseHlc, receive, tick } from '../../../shared/sync/hlc';

describe('HLC', () => {
  const start: Hlc = { millis: 1_000, counter: 0, node: 'aaaaaaaaaaaaaaaa' };

  it('advances with the wall clock and counts within one millisecond', () => {
    const a = tick(start, 2_000);
    const b = tick(a, 2_000);
    const c = tick(b, 1_500); // wall clock stepped back
    expect([a, b, c].map((h) => [h.millis, h.counter])).toEqual([[2000, 0], [2000, 1], [2000, 2]]);
    const s = [a, b, c].map(formatHlc);
    expect([...s].sort()).toEqual(s);
    expect(parseHlc(s[2]!)).toEqual(c);
  });

  it('moves past a remote stamp it receives', () => {
    const remote: Hlc = { millis: 5_000, counter: 7, node: 'bbbbbbbbbbbbbbbb' };
    const mine = receive(start, remote, 3_000);
    expect(mine).toEqual({ millis: 5_000, counter: 8, node: 'aaaaaaaaaaaaaaaa' });
    expect(formatHlc(tick(mine, 3_000)) > formatHlc(remote)).toBe(true);
  });

  it('refuses a remote clock more than five minutes ahead', () => {
    expect(() => receive(start, { millis: 10 * 60_000, counter: 0, node: 'b' }, 1_000)).toThrow(/too far ahead/);
  });

  it('rolls the counter over into the next millisecond', () => {
    expect(tick({ millis: 1, counter: 0xffff, node: 'a' }, 1)).toEqual({ millis: 2, counter: 0, node: 'a' });
  });
});
