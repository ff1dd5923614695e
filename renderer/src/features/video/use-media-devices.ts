// The cameras and microphones this computer has, kept current as devices are plugged in or
// out. Their names are known only once the page may use them (after the call started).
import { useEffect, useState } from 'react';

export interface MediaDevice { readonly deviceId: string; readonly label: string }

export function useMediaDevices(active: boolean): { cameras: readonly MediaDevice[]; microphones: readonly MediaDevice[] } {
  const [devices, setDevices] = useState<{ cameras: MediaDevice[]; microphones: MediaDevice[] }>({ cameras: [], microphones: [] });
  useEffect(() => {
    if (!active || !navigator.mediaDevices?.enumerateDevices) return;
    let live = true;
    const refresh = () => void navigator.mediaDevices.enumerateDevices().then((all) => {
      if (!live) return;
      const of = (kind: MediaDeviceKind, name: string) => all.filter((d) => d.kind === kind && d.deviceId)
        .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${name} ${i + 1}` }));
      setDevices({ cameras: of('videoinput', 'Camera'), microphones: of('audioinput', 'Microphone') });
    }, () => undefined);
    refresh();
    navigator.mediaDevices.addEventListener('devicechange', refresh);
    return () => { live = false; navigator.mediaDevices.removeEventListener('devicechange', refresh); };
  }, [active]);
  return devices;
}
