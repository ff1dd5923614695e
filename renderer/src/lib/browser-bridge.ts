// The browser host's transport: contract calls as POST /api/call/<name> with the launch token,
// events over one WebSocket that reconnects. Electron's preload provides the same bridge
// as window.chartroom.
import { browserHost, type ChartroomBridge } from '../../../shared/api/transport';
import { fail } from '../../../shared/errors';

const STORAGE_KEY = 'chartroom.launch-token';

function launchToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get(browserHost.tokenParam);
  if (fromHash) {
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    // Keep the token out of the address bar, history and any screenshot.
    history.replaceState(null, '', window.location.pathname);
    return fromHash;
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}

export function createBrowserBridge(): ChartroomBridge {
  const token = launchToken();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;

  const connect = () => {
    const url = new URL(browserHost.eventsPath, window.location.href);
    url.protocol = url.protocol.replace('http', 'ws');
    url.searchParams.set(browserHost.tokenParam, token);
    socket = new WebSocket(url);
    socket.onmessage = (m) => {
      const msg = JSON.parse(String(m.data)) as { event: string; payload: unknown };
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, 1000);
    };
  };
  connect();

  return {
    async invoke(name, input) {
      try {
        const res = await fetch(`${browserHost.callPath}${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [browserHost.tokenHeader]: token },
          body: JSON.stringify(input ?? {}),
        });
        return await res.json();
      } catch {
        return fail('internal-error', 'Chartroom is not responding. Check that it is still running.');
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
