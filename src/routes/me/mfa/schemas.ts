import { z } from '@hono/zod-openapi';

export const TotpCodeSchema = z
  .string()
  .regex(/^\d{6}$/, 'must be the 6 digits the authenticator shows')
  .openapi({ description: 'The 6-digit code the authenticator app shows now.', example: '492039' });

export const MfaStatusSchema = z
  .object({
    required: z.boolean().openapi({ description: "Whether the caller's role needs MFA in the organization acted in." }),
    satisfied: z.boolean().openapi({
      description: 'Whether this credential shows MFA there (identity provider `amr`/`acr`, or a built-in code).',
    }),
    maxAgeSeconds: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'RFC 9470 max_age of the organization, if any.' }),
    builtInTotp: z.boolean().openapi({ description: 'Whether the built-in authenticator counts in the organization.' }),
    totp: z.object({
      status: z
        .enum(['none', 'pending', 'confirmed'])
        .openapi({ description: 'pending: started, waiting for its first code.' }),
      recoveryCodesLeft: z.number().int().nullable(),
    }),
  })
  .openapi('MfaStatus');

export const TotpEnrolmentSchema = z
  .object({
    secret: z.string().openapi({
      description: 'Base32 secret for manual entry; shown this once.',
      example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    }),
    otpauthUri: z.string().openapi({
      description: 'The Key Uri an authenticator app scans (as a QR code): SHA1, 6 digits, 30 s.',
      example:
        'otpauth://totp/ContentOS:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=ContentOS&algorithm=SHA1&digits=6&period=30',
    }),
    expiresAt: z.string().openapi({ format: 'date-time', description: 'Confirm before this, or start again.' }),
  })
  .openapi('TotpEnrolment');

export const ConfirmTotpBodySchema = z.object({ code: TotpCodeSchema }).strict().openapi('ConfirmTotp');

export const ConfirmedTotpSchema = z
  .object({
    recoveryCodes: z.array(z.string()).openapi({
      description: 'Ten single-use codes for when the authenticator is lost; shown this once, store them safely.',
      example: ['k7f2q-mx3va', 'p4zr6-tt2wb'],
    }),
    verifiedAt: z
      .string()
      .openapi({ format: 'date-time', description: 'This credential counts as multi-factor from now on.' }),
  })
  .openapi('ConfirmedTotp');

export const VerifyMfaBodySchema = z
  .object({
    code: TotpCodeSchema.optional(),
    recoveryCode: z.string().max(40).optional().openapi({
      description: 'One unused recovery code (`abcde-fghij`), in place of a code; it is spent.',
      example: 'k7f2q-mx3va',
    }),
  })
  .strict()
  .refine((body) => (body.code === undefined) !== (body.recoveryCode === undefined), {
    message: 'send exactly one of code, recoveryCode',
  })
  .openapi('VerifyMfa');

export const MfaVerificationSchema = z
  .object({
    method: z.enum(['totp', 'recovery_code']),
    verifiedAt: z.string().openapi({ format: 'date-time' }),
    expiresAt: z
      .string()
      .openapi({ format: 'date-time', description: 'When the credential (and so this verification) expires.' }),
    recoveryCodesLeft: z.number().int(),
  })
  .openapi('MfaVerification');
