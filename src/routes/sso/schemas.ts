import { z } from '@hono/zod-openapi';
import type { SsoSettings } from '../../services/sso/get-sso-config.ts';
import { MAX_ALLOWED_DOMAINS, MAX_ROLE_MAPPINGS, ssoRoles } from '../../services/sso/sso-rules.ts';
import { CALLBACK_PATH } from '../../services/sign-in/start-sign-in.ts';

const dateTime = (description: string) => z.string().openapi({ format: 'date-time', description });

// No /i flag: the OpenAPI document would carry it as a "/i" tail no JSON Schema validator reads (ADR 0033).
const DOMAIN = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const CLAIM_NAME = /^[A-Za-z0-9_.:/-]{1,100}$/;

export const SsoConfigBodySchema = z
  .object({
    issuer: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .openapi({
        description:
          'The OpenID Connect issuer. Its discovery document (`<issuer>/.well-known/openid-configuration`) is read ' +
          'now and must name this issuer; https to a public host only.',
        example: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      }),
    clientId: z.string().trim().min(1).max(255).openapi({ example: 'contentos-web' }),
    clientSecret: z.string().min(1).max(1024).optional().openapi({
      description: 'Required the first time; left out, the stored secret is kept. Stored encrypted, never returned.',
    }),
    allowedDomains: z
      .array(z.string().trim().regex(DOMAIN, 'must be a domain name such as example.com'))
      .max(MAX_ALLOWED_DOMAINS)
      .default([])
      .openapi({
        description: 'Email domains whose people get an account at first sign-in (just-in-time provisioning).',
        example: ['example.com'],
      }),
    defaultRole: z.enum(ssoRoles).nullable().default(null).openapi({
      description: 'Role of a provisioned user; null: invitation only, unless the role mapping gives one.',
    }),
    roleClaim: z
      .string()
      .regex(CLAIM_NAME)
      .nullable()
      .default(null)
      .openapi({ description: 'ID token claim holding groups or roles (a string or an array).', example: 'groups' }),
    roleMapping: z
      .record(z.string().min(1).max(200), z.enum(ssoRoles))
      .refine((mapping) => Object.keys(mapping).length <= MAX_ROLE_MAPPINGS, {
        message: `at most ${MAX_ROLE_MAPPINGS} entries`,
      })
      .default({})
      .openapi({
        description: 'Claim value → role, applied when a user is provisioned; the most powerful matching role wins.',
        example: { 'contentos-editors': 'editor' },
      }),
    enabled: z
      .boolean()
      .default(true)
      .openapi({ description: 'Off: nobody signs in through it, and its sessions end.' }),
  })
  .strict()
  .openapi('SsoConfigUpdate');

export const SsoSettingsSchema = z
  .object({
    configured: z.boolean(),
    loginUrl: z.string().openapi({ description: "The organization's sign-in page.", example: '/auth/demo/login' }),
    redirectUri: z.string().openapi({
      description: 'Register this redirect URI with the provider.',
      example: 'https://api.contentos.example/auth/callback',
    }),
    issuer: z.string().nullable(),
    clientId: z.string().nullable(),
    clientSecretSet: z.boolean(),
    allowedDomains: z.array(z.string()),
    defaultRole: z.enum(ssoRoles).nullable(),
    roleClaim: z.string().nullable(),
    roleMapping: z.record(z.string(), z.enum(ssoRoles)),
    enabled: z.boolean(),
    createdAt: dateTime('When SSO was first configured').nullable(),
    updatedAt: dateTime('Last change').nullable(),
  })
  .openapi('SsoSettings');

export function toSsoSettingsResource(settings: SsoSettings, origin: string): z.infer<typeof SsoSettingsSchema> {
  const { config } = settings;
  return {
    configured: config !== null,
    loginUrl: `/auth/${settings.slug}/login`,
    redirectUri: `${origin}${CALLBACK_PATH}`,
    issuer: config?.issuer ?? null,
    clientId: config?.clientId ?? null,
    clientSecretSet: config !== null,
    allowedDomains: config?.allowedDomains ?? [],
    defaultRole: config?.defaultRole && config.defaultRole !== 'super_admin' ? config.defaultRole : null,
    roleClaim: config?.roleClaim ?? null,
    roleMapping: config?.roleMapping ?? {},
    enabled: config?.enabled ?? false,
    createdAt: config?.createdAt.toISOString() ?? null,
    updatedAt: config?.updatedAt.toISOString() ?? null,
  };
}
