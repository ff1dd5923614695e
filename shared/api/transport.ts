// What a renderer needs from its host, whatever carries it (Electron IPC or the browser host).
import type { Result } from '../errors';
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from './contract';

export interface ChartroomBridge {
  /** Invoke one contract call; the host validates the input and answers a Result. */
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribe to a contract event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export interface ChartroomClient {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}

/** The typed client: it cannot name a call the contract does not declare. */
export function createClient(bridge: ChartroomBridge): ChartroomClient {
  return {
    call: (name, input) => bridge.invoke(name, input) as never,
    on: (event, listener) => bridge.on(event, listener as (p: unknown) => void),
  };
}

/** Path and header names shared by the browser host and its renderer transport. */
export const browserHost = {
  callPath: '/api/call/',
  eventsPath: '/api/events',
  tokenHeader: 'x-chartroom-token',
  tokenParam: 'token',
} as const;

/** Electron IPC channel names, one per contract call and event. */
export const ipcChannel = {
  call: (name: string) => `chartroom:call:${name}`,
  event: (name: string) => `chartroom:event:${name}`,
} as const;
