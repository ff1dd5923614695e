// Where each appointment sits across its column when appointments overlap: the calendar way
// (as Google Calendar and Outlook draw them), side by side. Appointments that overlap, directly
// or through others, form a cluster; each takes the leftmost free track of its cluster, and the
// cluster's tracks share the column's width, so every one stays readable and clickable.

export interface Span {
  readonly id: string;
  /** Minutes from midnight. */
  readonly start: number;
  readonly end: number;
}

export interface Placement {
  /** Which track, from the left (0-based). */
  readonly track: number;
  /** How many tracks its cluster has. */
  readonly tracks: number;
}

export function placeSideBySide(spans: readonly Span[]): ReadonlyMap<string, Placement> {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || a.id.localeCompare(b.id));
  const placed = new Map<string, Placement>();
  let cluster: { id: string; track: number }[] = [];
  let trackEnds: number[] = [];
  let clusterEnd = -Infinity;
  const close = () => {
    for (const c of cluster) placed.set(c.id, { track: c.track, tracks: trackEnds.length });
    cluster = [];
    trackEnds = [];
  };
  for (const s of sorted) {
    if (s.start >= clusterEnd) close();
    const end = Math.max(s.end, s.start + 1); // a zero-length entry still needs room
    let track = trackEnds.findIndex((e) => e <= s.start);
    if (track < 0) track = trackEnds.push(end) - 1;
    else trackEnds[track] = end;
    cluster.push({ id: s.id, track });
    clusterEnd = Math.max(clusterEnd, end);
  }
  close();
  return placed;
}
