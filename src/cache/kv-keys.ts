/**
 * Every KV key starts with its owner: `org:<organizationId>:` for tenant data, `sys:` for the platform's
 * own bookkeeping. Building keys only through these helpers keeps one tenant's keys out of another's.
 */
const SAFE_PART = /^[A-Za-z0-9._~-]{1,200}$/;

function join(parts: readonly string[]): string {
  for (const part of parts) {
    if (!SAFE_PART.test(part)) throw new Error(`unsafe KV key part: ${JSON.stringify(part)}`);
  }
  return parts.join(':');
}

export const tenantKey = (organizationId: string, ...parts: string[]) => `org:${join([organizationId, ...parts])}`;

export const systemKey = (...parts: string[]) => `sys:${join(parts)}`;

export const tenantPrefix = (organizationId: string) => `org:${join([organizationId])}:`;
