// Hybrid logical clock (Kulkarni et al.): physical milliseconds, a counter and the node id,
// serialised so that string order is causal order. Stamps every change row.

export interface Hlc {
  readonly millis: number;
  readonly counter: number;
  readonly node: string;
}

const MAX_COUNTER = 0xffff;
/** A remote clock further ahead than this is refused rather than dragging ours forward. */
export const MAX_DRIFT_MS = 5 * 60 * 1000;

export function formatHlc(h: Hlc): string {
  return `${h.millis.toString().padStart(15, '0')}-${h.counter.toString(16).padStart(4, '0')}-${h.node}`;
}

export function parseHlc(s: string): Hlc {
  const m = /^(\d{15})-([0-9a-f]{4})-([0-9a-z]{1,32})$/.exec(s);
  if (!m) throw new Error('malformed HLC');
  return { millis: Number(m[1]), counter: parseInt(m[2] as string, 16), node: m[3] as string };
}

/** Next stamp for a local event. */
export function tick(last: Hlc, nowMillis: number): Hlc {
  if (nowMillis > last.millis) return { millis: nowMillis, counter: 0, node: last.node };
  if (last.counter >= MAX_COUNTER) return { millis: last.millis + 1, counter: 0, node: last.node };
  return { millis: last.millis, counter: last.counter + 1, node: last.node };
}

/** Merge a remote stamp on receipt; returns the new local clock. */
export function receive(local: Hlc, remote: Hlc, nowMillis: number): Hlc {
  if (remote.millis - nowMillis > MAX_DRIFT_MS) throw new Error('remote clock too far ahead');
  const millis = Math.max(local.millis, remote.millis, nowMillis);
  let counter: number;
  if (millis === local.millis && millis === remote.millis) counter = Math.max(local.counter, remote.counter) + 1;
  else if (millis === local.millis) counter = local.counter + 1;
  else if (millis === remote.millis) counter = remote.counter + 1;
  else counter = 0;
  if (counter > MAX_COUNTER) return { millis: millis + 1, counter: 0, node: local.node };
  return { millis, counter, node: local.node };
}
