// Polls a call's peer connection for its statistics every two seconds and rates the stretch
// since the last reading (shared/video/quality), for the indicator beside the call. A new peer
// connection (after a reconnect) starts its readings afresh.
import { useEffect, useState } from 'react';
import { type ConnectionQuality, QUALITY_INTERVAL_MS, qualityMeter } from '../../../../shared/video/quality';

export function useConnectionQuality(current: () => RTCPeerConnection | null, active: boolean): ConnectionQuality | null {
  const [quality, setQuality] = useState<ConnectionQuality | null>(null);
  useEffect(() => {
    setQuality(null);
    if (!active) return;
    const measure = qualityMeter<RTCPeerConnection>();
    const timer = setInterval(() => {
      const pc = current();
      if (!pc || pc.connectionState === 'closed') return;
      void measure(pc).then((q) => q && setQuality(q), () => undefined);
    }, QUALITY_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [current, active]);
  return quality;
}
