// The renderer's only way to the engine: a client typed from the contract, over whichever
// bridge the host provides.
import { createContext, useContext } from 'react';
import { createClient, type ChartroomBridge, type ChartroomClient } from '../../../shared/api/transport';
import { createBrowserBridge } from './browser-bridge';

declare global {
  interface Window {
    chartroom?: ChartroomBridge;
  }
}

export function connect(): ChartroomClient {
  return createClient(window.chartroom ?? createBrowserBridge());
}

export const ApiContext = createContext<ChartroomClient | null>(null);

export function useApi(): ChartroomClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}
