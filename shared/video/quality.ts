// How good a video call's connection is, as both sides show it: read from the peer connection's
// statistics (getStats) every few seconds and rated from what changed in between (packets lost,
// round-trip time, jitter, and whether anything arrives at all). One rating for the workstation
// and the patient's page, so the two never disagree about the same numbers.
import { assertNever } from '../errors';

/** One reading of a peer connection's statistics, reduced to what the rating needs. */
export interface StatsReading {
  readonly at: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  /** Of the selected candidate pair; null before one is chosen. */
  readonly rttMs: number | null;
  /** The worst of the incoming streams. */
  readonly jitterMs: number | null;
}

export type QualityLevel = 'good' | 'fair' | 'poor';

export interface ConnectionQuality {
  readonly level: QualityLevel;
  /** What a person reads beside the call. */
  readonly label: string;
  readonly rttMs: number | null;
  readonly lossPercent: number;
  readonly jitterMs: number | null;
}

type Stat = Readonly<Record<string, unknown>>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads an RTCStatsReport (anything with forEach over stats objects). */
export function readStats(report: { forEach(cb: (stat: Stat) => void): void }, at: number): StatsReading {
  let packetsReceived = 0;
  let packetsLost = 0;
  let jitter: number | null = null;
  let selectedPair: string | null = null;
  const pairs = new Map<string, Stat>();
  report.forEach((s) => {
    switch (s.type) {
      case 'inbound-rtp':
        packetsReceived += num(s.packetsReceived) ?? 0;
        // Can go negative when duplicates arrive; a negative loss is no loss.
        packetsLost += Math.max(0, num(s.packetsLost) ?? 0);
        if (num(s.jitter) !== null) jitter = Math.max(jitter ?? 0, num(s.jitter) ?? 0);
        return;
      case 'transport':
        if (typeof s.selectedCandidatePairId === 'string') selectedPair = s.selectedCandidatePairId;
        return;
      case 'candidate-pair':
        if (typeof s.id === 'string') pairs.set(s.id, s);
        return;
    }
  });
  // Firefox has no transport stats: its selected pair says so itself.
  const pair = (selectedPair ? pairs.get(selectedPair) : undefined) ?? [...pairs.values()].find((p) => p.selected === true || (p.nominated === true && p.state === 'succeeded'));
  const rtt = pair ? num(pair.currentRoundTripTime) : null;
  return { at, packetsReceived, packetsLost, rttMs: rtt === null ? null : Math.round(rtt * 1000), jitterMs: jitter === null ? null : Math.round(jitter * 1000) };
}

const order: Readonly<Record<QualityLevel, number>> = { good: 0, fair: 1, poor: 2 };
const worst = (...levels: QualityLevel[]): QualityLevel => levels.reduce((a, b) => (order[b] > order[a] ? b : a), 'good');
const band = (value: number | null, fair: number, poor: number): QualityLevel => (value === null || value < fair ? 'good' : value < poor ? 'fair' : 'poor');

/**
 * Rates the stretch between two readings. Thresholds follow what calls tolerate: beyond 2% loss
 * or 300 ms round trip speech starts to suffer, beyond 8% or 600 ms a conversation breaks up.
 */
export function rateConnection(before: StatsReading, now: StatsReading): ConnectionQuality {
  const received = Math.max(0, now.packetsReceived - before.packetsReceived);
  const lost = Math.max(0, now.packetsLost - before.packetsLost);
  const lossPercent = received + lost === 0 ? 0 : Math.round((lost / (received + lost)) * 1000) / 10;
  const base = { rttMs: now.rttMs, lossPercent, jitterMs: now.jitterMs };
  if (received === 0) return { ...base, level: 'poor', label: 'Connection poor: nothing is arriving from the other side' };
  const level = worst(band(lossPercent, 2, 8), band(now.rttMs, 300, 600), band(now.jitterMs, 30, 80));
  switch (level) {
    case 'good':
      return { ...base, level, label: 'Connection good' };
    case 'fair':
      return { ...base, level, label: 'Connection fair: the video may stutter' };
    case 'poor':
      return { ...base, level, label: 'Connection poor: the video may freeze; turning cameras off can help' };
    default:
      return assertNever(level, 'quality level');
  }
}

/** How often both sides read the statistics. */
export const QUALITY_INTERVAL_MS = 2000;

/**
 * The readings of one peer connection at a time: each call rates the stretch since the previous
 * one (null for the first); a new connection, after a reconnect, starts afresh.
 */
export function qualityMeter<P extends { getStats(): Promise<{ forEach(cb: (stat: Stat) => void): void }> }>() {
  let before: StatsReading | null = null;
  let of: P | null = null;
  return async (pc: P): Promise<ConnectionQuality | null> => {
    if (pc !== of) { before = null; of = pc; }
    const now = readStats(await pc.getStats(), Date.now());
    const rated = before && of === pc ? rateConnection(before, now) : null;
    if (of === pc) before = now;
    return rated;
  };
}

/** "Round trip 12 ms · 0% lost", for beside the rating. */
export function describeQuality(q: ConnectionQuality): string {
  const parts = [q.rttMs === null ? null : `round trip ${q.rttMs} ms`, `${q.lossPercent}% lost`, q.jitterMs === null ? null : `jitter ${q.jitterMs} ms`];
  return parts.filter(Boolean).join(' · ');
}
