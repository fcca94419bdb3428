/**
 * `npm run -s token -- --role editor --org demo [--ttl 3600] [--no-mfa]`: prints a bearer token for a seeded
 * user, signed with the local key that `npm run dev` uses. The token alone goes to stdout. It says the user
 * signed in with MFA (`amr` pwd+otp, the PAPE multi-factor `acr`, `auth_time` now), so org_admin and
 * super_admin work out of the box; `--no-mfa` mints a password-only token, which they are refused with
 * (401 insufficient_user_authentication, docs/decisions/0036).
 */
import { parseArgs } from 'node:util';
import { userRoles, type UserRole } from '../src/db/schema/enums.ts';
import { ensureLocalKey, mintLocalToken } from './local/keys.ts';
import { LOCAL_KEY_PATH } from './local/paths.ts';
import { SEED_ORGS, seedRoles, seedUserEmail, seedUserId } from './local/seed-ids.ts';

function fail(message: string): never {
  console.error(`token: ${message}`);
  console.error(
    'usage: npm run -s token -- --role <super_admin|org_admin|editor|approver|viewer> --org <demo|globex> [--ttl seconds] [--no-mfa]',
  );
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'editor' },
    org: { type: 'string', default: 'demo' },
    ttl: { type: 'string', default: '3600' },
    mfa: { type: 'boolean', default: true },
  },
  strict: true,
  allowNegative: true,
});

const role = values.role as UserRole;
if (!userRoles.includes(role)) fail(`unknown role "${values.role}"`);
if (!SEED_ORGS.some((org) => org.slug === values.org)) fail(`unknown organization "${values.org}"`);
if (!seedRoles(values.org).includes(role))
  fail(`organization "${values.org}" has no ${role} (super_admin lives in demo)`);
const ttlSeconds = Number(values.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > 7 * 86_400)
  fail('--ttl must be whole seconds between 60 and 604800');

const key = await ensureLocalKey(LOCAL_KEY_PATH);
const token = await mintLocalToken(key, {
  sub: seedUserId(values.org, role),
  email: seedUserEmail(values.org, role),
  ttlSeconds,
  mfa: values.mfa,
});
const how = values.mfa ? 'with MFA' : 'password only (no MFA)';
console.error(`token for ${seedUserEmail(values.org, role)} (${role} in ${values.org}), ${how}, valid ${ttlSeconds} s`);
console.log(token);
