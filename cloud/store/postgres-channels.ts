// PostgreSQL's channels between service processes: tenant events (LISTEN/NOTIFY), and the
// visit relay, whose messages may be longer than a NOTIFY payload and go in ordered parts from
// one sending connection per process.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { isTenantEvent, type TenantEvent, type VisitRelay } from './store';

export const CHANNEL = 'chartroom_events';
const VISIT_CHANNEL = 'chartroom_visits';
/** NOTIFY payloads stop at 8000 bytes: longer visit messages go in parts (base64, so ASCII). */
const PART = 7000;

function isVisitRelay(v: unknown): v is VisitRelay {
  const m = v as Partial<Record<keyof VisitRelay, unknown>> | null;
  return typeof m === 'object' && m !== null && typeof m.tenantId === 'string' && typeof m.visitId === 'string'
    && (m.to === 'patient' || m.to === 'clinic') && typeof m.body === 'string';
}

export class PgChannels {
  /** One connection sends every visit message, so this process's messages arrive in order. */
  private relaySender: Promise<pg.PoolClient> | null = null;
  private relayQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: pg.Pool) {}

  async notify(tenantId: string, event: TenantEvent): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, `${tenantId}|${event}`]);
  }

  async onEvent(listener: (tenantId: string, event: TenantEvent) => void): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    const handler = (msg: pg.Notification) => {
      const [tenantId, event] = (msg.payload ?? '').split('|');
      if (msg.channel === CHANNEL && tenantId && isTenantEvent(event)) listener(tenantId, event);
    };
    client.on('notification', handler);
    await client.query(`LISTEN ${CHANNEL}`);
    return async () => {
      client.off('notification', handler);
      await client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      client.release();
    };
  }

  async relayVisit(message: VisitRelay): Promise<void> {
    const data = Buffer.from(JSON.stringify(message)).toString('base64');
    const id = randomUUID();
    const parts = Math.max(1, Math.ceil(data.length / PART));
    this.relaySender ??= this.pool.connect();
    const sender = await this.relaySender;
    const sent = this.relayQueue.then(async () => {
      for (let i = 0; i < parts; i++) await sender.query('SELECT pg_notify($1, $2)', [VISIT_CHANNEL, `${id}|${i}|${parts}|${data.slice(i * PART, (i + 1) * PART)}`]);
    });
    this.relayQueue = sent.catch(() => undefined);
    await sent;
  }

  async onVisitRelay(listener: (message: VisitRelay) => void): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    const pending = new Map<string, string[]>();
    const handler = (msg: pg.Notification) => {
      if (msg.channel !== VISIT_CHANNEL || !msg.payload) return;
      const [id = '', index, total, data = ''] = msg.payload.split('|');
      const n = Number(total);
      const got = pending.get(id) ?? [];
      got[Number(index)] = data;
      if (got.filter((x) => x !== undefined).length < n) return void pending.set(id, got);
      pending.delete(id);
      try {
        const m: unknown = JSON.parse(Buffer.from(got.join(''), 'base64').toString('utf8'));
        if (isVisitRelay(m)) listener(m);
      } catch {
        // Not one of ours: nothing to deliver.
      }
    };
    client.on('notification', handler);
    await client.query(`LISTEN ${VISIT_CHANNEL}`);
    return async () => {
      client.off('notification', handler);
      await client.query(`UNLISTEN ${VISIT_CHANNEL}`).catch(() => undefined);
      client.release();
    };
  }

  async close(): Promise<void> {
    if (this.relaySender) (await this.relaySender.catch(() => null))?.release();
  }
}
