// The workstation's HTTP client for its cloud tenant, derived from the cloud's contract
// (shared/cloud-api/routes.ts): a route's name and typed input make the request, and every answer
// is parsed with the route's schema before anything uses it.
import { z } from 'zod';
import { cloudRoutes, cloudSockets, pathOf, type RouteAnswer, type RouteBody, type RouteName, type RouteParams, type RouteQuery } from '../../../shared/cloud-api/routes';

/** A cloud call that did not succeed: a refusal with its code, or the cloud out of reach. */
export class CloudError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export const unreadable = () => new CloudError(0, 'cloud-unreachable', 'The clinic cloud gave an answer this workstation does not understand.');

const Reply = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export interface RequestInput<N extends RouteName> {
  readonly params?: RouteParams<N>;
  readonly query?: RouteQuery<N>;
  readonly body?: RouteBody<N>;
  readonly token?: string;
  /** A sign-in guard route's credential (auth: 'guard'), instead of a token. */
  readonly guard?: string;
  /** How long to wait for the answer (default 15 s). */
  readonly timeoutMs?: number;
}

export async function cloudRequest<N extends RouteName>(base: string, name: N, input: RequestInput<N> = {}): Promise<RouteAnswer<N>> {
  const spec = cloudRoutes[name];
  const pairs = Object.entries((input.query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]);
  const query = new URLSearchParams(pairs).toString();
  const url = `${base}${pathOf(spec.path, (input.params ?? {}) as Record<string, string>)}${query ? `?${query}` : ''}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: spec.method,
      headers: { ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(input.token ? { authorization: `Bearer ${input.token}` } : {}), ...(input.guard ? { authorization: `Guard ${input.guard}` } : {}) },
      ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
      signal: AbortSignal.timeout(input.timeoutMs ?? 15_000),
    });
  } catch {
    throw new CloudError(0, 'cloud-unreachable', 'The clinic cloud cannot be reached. Work continues offline; changes wait here.');
  }
  const reply = Reply.safeParse(await res.json().catch(() => null));
  if (!reply.success) throw new CloudError(res.status, 'cloud-unreachable', `The clinic cloud answered ${res.status}.`);
  if (!reply.data.ok) throw new CloudError(res.status, reply.data.error.code, reply.data.error.message);
  const answer = spec.answer.safeParse(reply.data.value);
  if (!answer.success) throw unreadable();
  return answer.data as RouteAnswer<N>;
}

/** A socket's address at the cloud (ws: or wss:, as the cloud's own address is http: or https:). */
export function socketUrl(base: string, name: keyof typeof cloudSockets, params: Readonly<Record<string, string>>): string {
  return `${base.replace(/^http/, 'ws')}${pathOf(cloudSockets[name].path, params)}`;
}
