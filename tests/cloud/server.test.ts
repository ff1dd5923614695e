// The tenant service's own endpoints, in-process: health and readiness (the route groups have
// their tests under tests/cloud/routes/ and tests/cloud/http/).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type InjectedCloud, injectCloud } from '../helpers/cloud-inject';

let cloud: InjectedCloud;
beforeEach(async () => { cloud = await injectCloud(); });
afterEach(async () => cloud.close());

it('answers health and readiness', async () => {
  expect((await cloud.app.inject('/healthz')).json()).toEqual({ ok: true });
  expect((await cloud.app.inject('/readyz')).json()).toEqual({ ok: true });
});
