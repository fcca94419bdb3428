import { describe, expect, it } from 'vitest';
import { forbiddenRange, isIpLiteral, parseIPv6 } from '../../../src/services/webhooks/ip-address.ts';
import { matchesEventTypes } from '../../../src/services/webhooks/event-types.ts';
import { checkWebhookUrl } from '../../../src/services/webhooks/url-guard.ts';
import {
  MAX_ATTEMPTS,
  parseRetryAfter,
  QUEUE_MAX_DELAY_SECONDS,
  RETRY_DELAYS_SECONDS,
  retryDelaySeconds,
} from '../../../src/services/webhooks/retry-schedule.ts';

describe('address ranges', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.255.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', null],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['169.254.169.254', 'metadata'],
    ['169.254.0.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['203.0.113.9', 'documentation'],
    ['8.8.8.8', null],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:8.8.8.8', null],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:808:808::1', null],
    // Local-use NAT64 (RFC 8215): the embedded IPv4 address's position is the operator's choice.
    ['64:ff9b:1::a00:1', 'reserved'],
    ['64:ff9b:1:ffff::808:808', 'reserved'],
    // Teredo: relay 10.0.0.1 in groups 2-3; client 192.168.1.1 bit-inverted (3f57:fefe) in groups 6-7.
    ['2001:0:a00:1::', 'private'],
    ['2001:0:808:808::3f57:fefe', 'private'],
    ['2001:0:808:808::f7f7:f7f7', null],
    ['fc00::1', 'unique-local'],
    ['fdff:ffff::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2606:4700:4700::1111', null],
    ['[::1]', 'loopback'],
    ['not-an-address', 'reserved'],
  ])('%s is %s', (address, range) => {
    expect(forbiddenRange(address)).toBe(range);
  });

  it('parses IPv6 text forms and rejects malformed ones', () => {
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIPv6('1::8')).toEqual([1, 0, 0, 0, 0, 0, 0, 8]);
    expect(parseIPv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    for (const bad of ['1::2::3', '1:2:3', '12345::', '1:2:3:4:5:6:7:8:9', '::1.2.3', 'fe80::1%eth0', 'hello'])
      expect(parseIPv6(bad), bad).toBeNull();
    expect(isIpLiteral('10.0.0.1')).toBe(true);
    expect(isIpLiteral('example.com')).toBe(false);
  });
});

describe('URL rules without a resolver', () => {
  const strict = { allowLoopbackHttp: false, resolve: undefined, defaultPortOnly: false };
  it('allows a public https host name, refuses the rest with a reason', async () => {
    expect(await checkWebhookUrl('https://hooks.example.com/x', strict)).toEqual({ ok: true });
    expect(await checkWebhookUrl('https://hooks.example.com./x', strict)).toEqual({ ok: true });
    expect(await checkWebhookUrl('https://LOCALHOST./x', strict)).toMatchObject({
      ok: false,
      kind: 'forbidden',
      reason: 'localhost is a loopback host',
    });
    expect(await checkWebhookUrl('javascript:alert(1)', strict)).toMatchObject({ ok: false, reason: 'must use https' });
    expect(await checkWebhookUrl('not a url', strict)).toMatchObject({ ok: false, reason: 'not a valid absolute URL' });
    expect(
      await checkWebhookUrl('http://127.0.0.1/', {
        allowLoopbackHttp: true,
        resolve: undefined,
        defaultPortOnly: false,
      }),
    ).toEqual({
      ok: true,
    });
    expect(
      await checkWebhookUrl('http://[::1]:8080/', {
        allowLoopbackHttp: true,
        resolve: undefined,
        defaultPortOnly: false,
      }),
    ).toEqual({
      ok: true,
    });
    expect(
      await checkWebhookUrl('http://10.0.0.1/', {
        allowLoopbackHttp: true,
        resolve: undefined,
        defaultPortOnly: false,
      }),
    ).toMatchObject({
      ok: false,
      reason: 'must use https',
    });
  });

  it('in production allows only the default https port', async () => {
    const production = { ...strict, defaultPortOnly: true };
    expect(await checkWebhookUrl('https://hooks.example.com/x', production)).toEqual({ ok: true });
    expect(await checkWebhookUrl('https://hooks.example.com:443/x', production)).toEqual({ ok: true });
    expect(await checkWebhookUrl('https://hooks.example.com:8443/x', production)).toMatchObject({
      ok: false,
      kind: 'forbidden',
      reason: 'must use the default https port 443, not 8443',
    });
    expect(await checkWebhookUrl('https://hooks.example.com:8443/x', strict)).toEqual({ ok: true });
  });

  it('treats a resolver that throws a plain error as a bug, not as a refusal', async () => {
    await expect(
      checkWebhookUrl('https://hooks.example.com/', {
        allowLoopbackHttp: false,
        resolve: () => Promise.reject(new TypeError('bug')),
        defaultPortOnly: false,
      }),
    ).rejects.toThrow('bug');
  });
});

describe('event type patterns', () => {
  it('match exactly, by content.* and by *', () => {
    expect(matchesEventTypes(['content.published'], 'content.published')).toBe(true);
    expect(matchesEventTypes(['content.published'], 'content.unpublished')).toBe(false);
    expect(matchesEventTypes(['content.*'], 'content.archived')).toBe(true);
    expect(matchesEventTypes(['content.*'], 'contents.archived')).toBe(false);
    expect(matchesEventTypes(['*'], 'content.created')).toBe(true);
  });
});

describe('retry schedule', () => {
  it('about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h, each within ±10 %, then nothing', () => {
    expect(RETRY_DELAYS_SECONDS).toEqual([5, 300, 1800, 7200, 18000, 36000, 86400]);
    expect(MAX_ATTEMPTS).toBe(8);
    RETRY_DELAYS_SECONDS.forEach((base, i) => {
      expect(retryDelaySeconds(i + 1, () => 0.5)).toBe(base);
      expect(retryDelaySeconds(i + 1, () => 0)).toBe(Math.round(base * 0.9));
      for (let n = 0; n < 20; n++) {
        const delay = retryDelaySeconds(i + 1)!;
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.1));
      }
    });
    // Jitter never reorders the steps: each wait is longer than the one before.
    for (let i = 1; i < RETRY_DELAYS_SECONDS.length; i++)
      expect(RETRY_DELAYS_SECONDS[i]! * 0.9).toBeGreaterThan(RETRY_DELAYS_SECONDS[i - 1]! * 1.1);
    expect(retryDelaySeconds(8)).toBeUndefined();
    expect(QUEUE_MAX_DELAY_SECONDS).toBe(43_200);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at a day, ignoring nonsense', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:10:00 GMT', now)).toBe(600);
    expect(parseRetryAfter('9999999', now)).toBe(86_400);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
