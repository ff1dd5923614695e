// Polls a call's peer connection for its statistics every two seconds and rates the stretch
// since the last reading (shared/video/quality), for the indicator beside the call. A new peer
// connection (after a reconnect) starts its readings afresh.
import { useEffect, useState } from 'react';
import { type ConnectionQuality, rateConnection, readStats, type StatsReading } from '../../../../shared/video/quality';

export const QUALITY_INTERVAL_MS = 2000;

export function useConnectionQuality(current: () => RTCPeerConnection | null, active: boolean): ConnectionQuality | null {
  const [quality, setQuality] = useState<ConnectionQuality | null>(null);
  useEffect(() => {
    setQuality(null);
    if (!active) return;
    let before: StatsReading | null = null;
    let of: RTCPeerConnection | null = null;
    const timer = setInterval(() => {
      const pc = current();
      if (!pc || pc.connectionState === 'closed') return;
      if (pc !== of) { before = null; of = pc; }
      void pc.getStats().then((report) => {
        const now = readStats(report, Date.now());
        if (before && pc === of) setQuality(rateConnection(before, now));
        before = now;
      }, () => undefined);
    }, QUALITY_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [current, active]);
  return quality;
}
