// How often the public doors of the service may be knocked on (@fastify/rate-limit's counters,
// in this process): wrong enrolment codes per address, token requests per address and per tenant, visit links
// per address and per link, and failed device authentication per address and per tenant, so a
// guesser or a flood is told `rate-limited` long before it costs the service anything. A
// clinic's workstations usually share one address, so the per-address limits leave room for a
// whole clinic at once; a workstation holds its token for minutes.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail, type Result } from '../../shared/errors';

type Check = (req: FastifyRequest, opts?: { increment?: boolean }) => Promise<{ isExceeded?: boolean; remaining?: number; ttlInSeconds?: number }>;

export interface Limit {
  readonly max: number;
  /** Milliseconds. */
  readonly window: number;
}

/** Per minute, each. */
export const limits = {
  /** Wrong codes only. */
  enrollPerAddress: { max: 30, window: 60_000 },
  tokenPerAddress: { max: 600, window: 60_000 },
  tokenPerTenant: { max: 600, window: 60_000 },
  linkPerAddress: { max: 120, window: 60_000 },
  linkPerToken: { max: 120, window: 60_000 },
  /** IT's signed commands (lockdown, lift, status): a person at a keyboard, never a flood. */
  itPerAddress: { max: 120, window: 60_000 },
  failedAuthPerAddress: { max: 60, window: 60_000 },
  failedAuthPerTenant: { max: 300, window: 60_000 },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof limits;

/** Counters by name; `key` says whose count a request adds to. */
export class RateLimits {
  private readonly checks = new Map<LimitName, Check>();

  static async register(app: FastifyInstance): Promise<RateLimits> {
    await app.register(rateLimit, { global: false });
    const self = new RateLimits();
    for (const [name, l] of Object.entries(limits) as [LimitName, Limit][]) {
      const keyOf = (req: FastifyRequest) => (req as FastifyRequest & { [rateKey]?: string })[rateKey] ?? req.ip;
      self.checks.set(name, app.createRateLimit({ max: l.max, timeWindow: l.window, keyGenerator: keyOf }) as Check);
    }
    return self;
  }

  /**
   * Counts a request against `name` under `key` (an address, a tenant, a link's hash), and says
   * whether it is over. With `count: false` it only says whether it already is.
   */
  async over(name: LimitName, req: FastifyRequest, key: string, count = true): Promise<Result<never> | null> {
    const check = this.checks.get(name);
    if (!check) throw new Error(`no rate limit ${name}`);
    const r = req as FastifyRequest & { [rateKey]?: string };
    r[rateKey] = `${name}|${key}`;
    const state = await check(req, { increment: count });
    r[rateKey] = undefined;
    // Counted: over once past the limit. Only looked at: over once the limit is used up.
    if (!(count ? state.isExceeded : state.remaining === 0)) return null;
    const after = Math.max(1, state.ttlInSeconds ?? 60);
    return fail('rate-limited', `Too many requests: try again in ${after} seconds.`, { retryAfterSeconds: after });
  }
}

const rateKey = Symbol('rate-limit key');
