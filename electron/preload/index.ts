// The preload: exposes window.chartroom (invoke a contract call, subscribe to a contract event)
// and nothing else. No logic; names outside the contract never reach ipcRenderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isCallName, isEventName } from '../../shared/api/contract';
import { type ChartroomBridge, ipcChannel } from '../../shared/api/transport';

const bridge: ChartroomBridge = {
  invoke(name, input) {
    if (!isCallName(name)) return Promise.resolve({ ok: false, error: { code: 'unknown-call', message: 'That call does not exist.' } });
    return ipcRenderer.invoke(ipcChannel.call(name), input);
  },
  on(event, listener) {
    if (!isEventName(event)) return () => undefined;
    const handler = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(ipcChannel.event(event), handler);
    return () => ipcRenderer.removeListener(ipcChannel.event(event), handler);
  },
};

contextBridge.exposeInMainWorld('chartroom', bridge);
