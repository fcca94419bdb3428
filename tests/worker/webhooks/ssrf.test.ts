import { describe, expect, inject, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { callApp, readProblem } from '../helpers.ts';
import {
  contentEvent,
  createWebhook,
  deliveryRow,
  jobOf,
  receiverUrl,
  recorded,
  useRecordingQueue,
  webhookRequest,
} from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, context, useTenant } = useHarness();
const org = useTenant();
const queue = useRecordingQueue(context);
const app = createApp();

/** The production setting: no http, no loopback (the suite's Worker allows loopback for its receiver). */
const strict = { WEBHOOK_ALLOW_LOOPBACK_HTTP: 'false' };

async function createOn(url: string, overrides: Record<string, string> = {}): Promise<Response> {
  return callApp(
    app,
    '/api/v1/webhooks',
    {
      method: 'POST',
      headers: { ...org.users.org_admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ url, eventTypes: ['*'], active: false }),
    },
    overrides,
  );
}

async function expectRefused(res: Response, code = 'webhook_url_forbidden'): Promise<string> {
  expect(res.status, await res.clone().text()).toBe(422);
  const problem = await readProblem(res);
  expect(problem.code).toBe(code);
  expect(problem.errors.map((e) => e.path)).toEqual(['body.url']);
  return problem.detail;
}

describe('SSRF guard at creation', () => {
  it.each([
    ['loopback IPv4', 'https://127.0.0.1/hook'],
    ['loopback elsewhere in 127/8', 'https://127.10.20.30/hook'],
    ['loopback as one decimal number', 'https://2130706433/hook'],
    ['loopback in hex', 'https://0x7f.0.0.1/hook'],
    ['loopback in octal', 'https://0177.0.0.1/hook'],
    ['loopback shortened', 'https://127.1/hook'],
    ['loopback IPv6', 'https://[::1]/hook'],
    ['loopback as IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]/hook'],
    ['localhost', 'https://localhost/hook'],
    ['a localhost subdomain', 'https://api.localhost/hook'],
    ['the unspecified address', 'https://0.0.0.0/hook'],
    ['plain http to loopback', 'http://127.0.0.1:8080/hook'],
  ])('refuses %s when loopback is not allowed (production)', async (_label, url) => {
    await expectRefused(await createOn(url, strict));
  });

  it.each([
    ['private 10/8', 'https://10.0.0.1/hook'],
    ['private 172.16/12', 'https://172.16.5.4/hook'],
    ['private 192.168/16', 'https://192.168.1.1/hook'],
    ['shared 100.64/10', 'https://100.64.0.1/hook'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/'],
    ['link-local', 'https://169.254.10.20/hook'],
    ['private as IPv4-mapped IPv6', 'https://[::ffff:10.0.0.1]/hook'],
    ['private through NAT64', 'https://[64:ff9b::a00:1]/hook'],
    ['unique-local IPv6', 'https://[fd00::1]/hook'],
    ['the AWS IPv6 metadata address', 'https://[fd00:ec2::254]/hook'],
    ['link-local IPv6', 'https://[fe80::1]/hook'],
    ['a public IP literal (a host name is required)', 'https://1.1.1.1/hook'],
    ['an internal name', 'https://metadata.google.internal/computeMetadata/v1/'],
    ['an mDNS name', 'https://printer.local/hook'],
    ['a single-label name', 'https://intranet/hook'],
    ['credentials in the URL', 'https://user:secret@public.test/hook'],
    ['plain http to a public host', 'http://public.test/hook'],
  ])('refuses %s, even with loopback allowed (development)', async (_label, url) => {
    await expectRefused(await createOn(url));
  });

  it.each([
    ['a private address', 'https://api.private.test/hook', '10.1.2.3 (private)'],
    ['172.16/12', 'https://api.private172.test/hook', '172.20.0.5 (private)'],
    ['192.168/16', 'https://api.private192.test/hook', '192.168.1.10 (private)'],
    ['loopback', 'https://api.loopback.test/hook', '127.0.0.1 (loopback)'],
    ['the metadata address', 'https://api.metadata.test/hook', '169.254.169.254 (metadata)'],
    ['a link-local address', 'https://api.linklocal.test/hook', '169.254.7.7 (link-local)'],
    ['a unique-local IPv6 address', 'https://api.ula.test/hook', 'fd12:3456::1 (unique-local)'],
    ['an IPv4-mapped private address', 'https://api.mapped.test/hook', '::ffff:10.0.0.1 (private)'],
    ['a public and a private address', 'https://api.mixed.test/hook', '192.168.1.10 (private)'],
  ])('refuses a host that resolves to %s', async (_label, url, reason) => {
    expect(await expectRefused(await createOn(url))).toContain(reason);
  });

  it('refuses a host that does not resolve (422 webhook_url_unresolvable)', async () => {
    await expectRefused(await createOn('https://nowhere.nxdomain.test/hook'), 'webhook_url_unresolvable');
  });

  it('accepts a public host, and loopback http only under the development setting', async () => {
    expect((await createOn('https://api.public.test/hook')).status).toBe(201);
    expect((await createOn(receiverUrl('ok'))).status).toBe(201);
    expect((await createOn('http://localhost:9/hook')).status).toBe(201);
  });

  it('answers 503 and creates nothing when the resolver cannot answer (fails closed)', async () => {
    // The receiver answers 404 here: a resolver that is up but cannot resolve anything.
    const res = await createOn('https://api.public.test/hook', {
      WEBHOOK_DNS_RESOLVER_URL: `${inject('webhookReceiverUrl')}/not-a-resolver`,
    });
    expect(res.status).toBe(503);
    expect((await readProblem(res)).code).toBe('webhook_url_check_unavailable');
  });

  it('checks a changed URL the same way', async () => {
    const hook = await createWebhook(org.users.org_admin.headers, { url: receiverUrl('ok'), active: false });
    await expectRefused(
      await webhookRequest('PATCH', `/${hook.id}`, org.users.org_admin.headers, { url: 'https://169.254.169.254/' }),
    );
    await expectRefused(
      await webhookRequest('PATCH', `/${hook.id}`, org.users.org_admin.headers, { url: 'https://api.private.test/' }),
    );
  });
});

describe('SSRF guard at send', () => {
  it('checks again before every attempt: a host that now resolves to loopback is not contacted', async () => {
    // `*.rebind.test` resolves to a public address once (at creation), then to 127.0.0.1.
    const hook = await createWebhook(org.users.org_admin.headers, {
      url: `https://${crypto.randomUUID()}.rebind.test/hook`,
      eventTypes: ['content.published'],
    });
    const [job] = await queue.fanOut(contentEvent(org.id));
    expect((await queue.attempt(job!)).result).toBe('retrying');
    const delivery = await deliveryRow(db, jobOf(job!).deliveryId);
    expect(delivery).toMatchObject({ webhookId: hook.id, status: 'pending', attemptCount: 1, lastStatusCode: null });
    expect(delivery.lastError).toMatch(/^not sent: .* resolves to 127\.0\.0\.1 \(loopback\)$/);
    await webhookRequest('PATCH', `/${hook.id}`, org.users.org_admin.headers, { active: false });
  });

  it('never follows a redirect: a receiver cannot send the sender elsewhere', async () => {
    const url = receiverUrl('status/302');
    const hook = await createWebhook(org.users.org_admin.headers, { url, eventTypes: ['content.unpublished'] });
    const [job] = await queue.fanOut(contentEvent(org.id, 'content.unpublished'));
    expect((await queue.attempt(job!)).result).toBe('retrying');
    const id = url.split('/').at(-1);
    expect(await recorded(url)).toHaveLength(1);
    expect(await recorded(`${url.slice(0, url.indexOf('/hooks/'))}/hooks/ok/${id}-redirected`)).toEqual([]);
    const delivery = await deliveryRow(db, jobOf(job!).deliveryId);
    expect(delivery).toMatchObject({ webhookId: hook.id, status: 'pending', lastStatusCode: 302 });
    expect(delivery.lastError).toBe(`redirect not followed (302 to /hooks/ok/${id}-redirected)`);
    await webhookRequest('PATCH', `/${hook.id}`, org.users.org_admin.headers, { active: false });
  });
});
