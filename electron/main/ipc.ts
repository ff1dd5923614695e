// Binds every contract call to ipcMain.handle and forwards every contract event to the window.
// Each call checks that it comes from the app's own main frame.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { callNames, eventNames } from '../../shared/api/contract';
import { ipcChannel } from '../../shared/api/transport';
import { fail } from '../../shared/errors';
import type { Invoke } from '../engine/api/dispatcher';
import type { Engine } from '../engine/engine';
import { isAppUrl } from './security';

export function bindIpc(engine: Engine, invoke: Invoke, window: BrowserWindow, appOrigin: string): () => void {
  const trusted = (e: IpcMainInvokeEvent) =>
    e.sender === window.webContents && e.senderFrame !== null && e.senderFrame === window.webContents.mainFrame && isAppUrl(e.senderFrame.url, appOrigin);

  for (const name of callNames) {
    ipcMain.handle(ipcChannel.call(name), (e, input: unknown) =>
      trusted(e) ? invoke(name, input) : fail('permission-denied', 'Calls are accepted only from the Chartroom window.'),
    );
  }
  const unsubscribe = eventNames.map((event) =>
    engine.on(event, (payload) => {
      if (!window.isDestroyed()) window.webContents.send(ipcChannel.event(event), payload);
    }),
  );
  return () => {
    for (const name of callNames) ipcMain.removeHandler(ipcChannel.call(name));
    for (const u of unsubscribe) u();
  };
}
