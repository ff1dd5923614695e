// Side-by-side placement of overlapping appointments: a double booking splits the column, a
// chain of overlaps shares one split, back-to-back appointments do not overlap, and a free
// track is reused.
import { expect, it } from 'vitest';
import { placeSideBySide } from '../../../../renderer/src/features/scheduling/overlap-layout';

const at = (id: string, hhmm: string, minutes: number) => {
  const start = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return { id, start, end: start + minutes };
};
const layout = (...spans: ReturnType<typeof at>[]) => Object.fromEntries([...placeSideBySide(spans)].map(([id, p]) => [id, `${p.track}/${p.tracks}`]));

it('puts two appointments at 09:00 side by side, each half the width', () => {
  expect(layout(at('a', '09:00', 20), at('b', '09:00', 20))).toEqual({ a: '0/2', b: '1/2' });
});

it('gives back-to-back appointments the whole width', () => {
  expect(layout(at('a', '09:00', 20), at('b', '09:20', 20))).toEqual({ a: '0/1', b: '0/1' });
});

it('shares one split across a chain of overlaps and reuses a track that came free', () => {
  // a 09:00–10:00 overlaps b 09:10–09:30 and c 09:40–10:00; b and c do not overlap, so c takes b's track.
  expect(layout(at('a', '09:00', 60), at('b', '09:10', 20), at('c', '09:40', 20), at('d', '11:00', 15))).toEqual({ a: '0/2', b: '1/2', c: '1/2', d: '0/1' });
});

it('splits three ways for a triple booking, in a stable order', () => {
  expect(layout(at('c', '09:00', 30), at('a', '09:00', 30), at('b', '09:15', 10))).toEqual({ a: '0/3', c: '1/3', b: '2/3' });
});
