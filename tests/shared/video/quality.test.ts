// The call's connection rating from real-shaped getStats reports (as Chromium and Firefox give
// them): a clean loopback call is good, loss or delay lowers it, and silence is poor.
import { describe, expect, it } from 'vitest';
import { describeQuality, qualityMeter, rateConnection, readStats, type StatsReading } from '../../../shared/video/quality';

const report = (stats: Record<string, unknown>[]) => new Map(stats.map((s, i) => [String(s.id ?? i), s]));
const chromium = (received: number, lost: number, rtt = 0.004, jitter = 0.002) => report([
  { id: 'IT01A', type: 'inbound-rtp', kind: 'audio', packetsReceived: received, packetsLost: lost, jitter },
  { id: 'IT01V', type: 'inbound-rtp', kind: 'video', packetsReceived: received * 2, packetsLost: lost * 2, jitter: jitter / 2 },
  { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
  { id: 'CP0', type: 'candidate-pair', state: 'failed', currentRoundTripTime: 9 },
  { id: 'CP1', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: rtt },
  { id: 'OT01', type: 'outbound-rtp', kind: 'video', packetsSent: 999 },
]);
const reading = (r: Map<string, Record<string, unknown>>, at: number): StatsReading => readStats(r, at);

describe('connection quality', () => {
  it('reads packets, the selected pair’s round trip and the worst jitter', () => {
    expect(reading(chromium(100, 3, 0.012, 0.02), 0)).toEqual({ at: 0, packetsReceived: 300, packetsLost: 9, rttMs: 12, jitterMs: 20 });
  });

  it('finds the selected pair in Firefox’s shape (no transport stats)', () => {
    const firefox = report([
      { id: 'a', type: 'inbound-rtp', packetsReceived: 50, packetsLost: -1 },
      { id: 'p1', type: 'candidate-pair', state: 'succeeded', selected: true, currentRoundTripTime: 0.05 },
    ]);
    expect(readStats(firefox, 5)).toEqual({ at: 5, packetsReceived: 50, packetsLost: 0, rttMs: 50, jitterMs: null });
  });

  it('rates a clean call good, loss and delay lower, and silence poor', () => {
    const start = reading(chromium(1000, 0), 0);
    const clean = rateConnection(start, reading(chromium(1200, 1), 2000));
    expect(clean.level).toBe('good');
    expect(clean.label).toBe('Connection good');
    expect(describeQuality(clean)).toBe('round trip 4 ms · 0.5% lost · jitter 2 ms');

    expect(rateConnection(start, reading(chromium(1200, 10), 2000)).level).toBe('fair'); // 4.8% lost
    expect(rateConnection(start, reading(chromium(1200, 30), 2000)).level).toBe('poor'); // 13% lost
    expect(rateConnection(start, reading(chromium(1200, 0, 0.4), 2000)).level).toBe('fair');
    expect(rateConnection(start, reading(chromium(1200, 0, 0.9), 2000)).level).toBe('poor');
    expect(rateConnection(start, reading(chromium(1200, 0, 0.004, 0.1), 2000)).level).toBe('poor');
    const silent = rateConnection(start, reading(chromium(1000, 0), 2000));
    expect(silent).toMatchObject({ level: 'poor', label: 'Connection poor: nothing is arriving from the other side' });
  });

  it('rates only the stretch between readings, not the whole call', () => {
    // A bad start, then a clean stretch: the clean stretch is what the people on the call see now.
    const afterBadStart = reading(chromium(1000, 400), 0);
    expect(rateConnection(afterBadStart, reading(chromium(1200, 400), 2000)).level).toBe('good');
  });

  it('meters one connection at a time: the first reading of each connection rates nothing', async () => {
    const connection = (reports: Map<string, Record<string, unknown>>[]) => ({ getStats: async () => reports.shift()! });
    const measure = qualityMeter<ReturnType<typeof connection>>();
    const first = connection([chromium(100, 0), chromium(300, 0), chromium(500, 40)]);
    expect(await measure(first)).toBeNull();
    expect((await measure(first))?.level).toBe('good');
    // After a reconnect: the old connection's counters say nothing about the new one.
    const second = connection([chromium(10, 0), chromium(10, 0)]);
    expect(await measure(second)).toBeNull();
    expect((await measure(second))?.label).toBe('Connection poor: nothing is arriving from the other side');
  });
});

