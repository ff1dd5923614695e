// The engine's typed event bus: what the UI hears (`session.locked`, `sync.status`, …), each
// event declared once in the contract. Services get `emit`; hosts get `on`.
import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/api/contract';

export type Listener<K extends EventName> = (payload: EventPayload<K>) => void;

/** What a service may tell the UI. */
export interface Announce {
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void;
}

export class EventBus implements Announce {
  private readonly emitter = new EventEmitter();

  on<K extends EventName>(event: K, listener: Listener<K>): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    this.emitter.emit(event, payload);
  }

  clear(): void {
    this.emitter.removeAllListeners();
  }
}

/** Tells open schedules and queues that these days changed (dates only: no PHI in the event). */
export function scheduleChanged(events: Announce, ...dates: string[]): void {
  events.emit('schedule.changed', { dates: [...new Set(dates.map((d) => d.slice(0, 10)))] });
}
