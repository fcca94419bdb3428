import { z } from '@hono/zod-openapi';
import { userRoles } from '../../db/schema/index.ts';
import type { SecurityPolicy } from '../../services/security-policy/security-policy.ts';

/** RFC 9470 max_age bounds: at least a minute, at most 30 days (organizations_mfa_max_age_range). */
export const MFA_MAX_AGE_BOUNDS = { min: 60, max: 30 * 86_400 } as const;

const requiredRolesDescription =
  'Roles whose every request needs multi-factor authentication (MFA). super_admin is always included: it acts in every ' +
  'organization. Default super_admin and org_admin; approver is recommended where approvals publish to clients.';
const maxAgeDescription =
  'RFC 9470 max_age: how many seconds ago the second factor may have been used (`auth_time` of the token, or the built-in ' +
  'verification). null: any time while the credential is valid.';
const builtInTotpDescription =
  'Whether the built-in authenticator (TOTP, POST /api/v1/me/mfa/totp) counts as a second factor here. Turn it off when ' +
  "your identity provider enforces MFA: then only the provider's `amr`/`acr` counts, and a token without MFA cannot enrol " +
  'a factor of its own.';

export const MfaPolicySchema = z
  .object({
    requiredRoles: z
      .array(z.enum(userRoles))
      .openapi({ description: requiredRolesDescription, example: ['super_admin', 'org_admin'] }),
    maxAgeSeconds: z.number().int().nullable().openapi({ description: maxAgeDescription, example: 43_200 }),
    builtInTotp: z.boolean().openapi({ description: builtInTotpDescription, example: true }),
  })
  .openapi('MfaPolicy');

export const SecurityPolicySchema = z
  .object({ organizationId: z.uuid(), mfa: MfaPolicySchema })
  .openapi('SecurityPolicy', { description: "How the organization's members must authenticate." });

export const toSecurityPolicyResource = (
  organizationId: string,
  policy: SecurityPolicy,
): z.infer<typeof SecurityPolicySchema> => ({
  organizationId,
  mfa: { ...policy.mfa, requiredRoles: [...policy.mfa.requiredRoles] },
});

export const UpdateSecurityPolicyBodySchema = z
  .object({
    mfa: z
      .object({
        requiredRoles: z
          .array(z.enum(userRoles))
          .max(userRoles.length * 2)
          .optional()
          .openapi({
            description: `${requiredRolesDescription} Replaces the whole list; [] leaves super_admin alone.`,
          }),
        maxAgeSeconds: z
          .number()
          .int()
          .min(MFA_MAX_AGE_BOUNDS.min)
          .max(MFA_MAX_AGE_BOUNDS.max)
          .nullable()
          .optional()
          .openapi({ description: `${maxAgeDescription} ${MFA_MAX_AGE_BOUNDS.min}–${MFA_MAX_AGE_BOUNDS.max}.` }),
        builtInTotp: z.boolean().optional().openapi({ description: builtInTotpDescription }),
      })
      .strict()
      .refine((mfa) => Object.values(mfa).some((value) => value !== undefined), {
        message: 'send at least one of requiredRoles, maxAgeSeconds, builtInTotp',
      }),
  })
  .strict()
  .openapi('UpdateSecurityPolicy', {
    description: 'Any subset of the MFA settings (at least one); settings left out keep their value.',
  });
