/**
 * Every `code` an error response can carry, with the status and title it is answered with and what a
 * client can do about it. A code that is not here does not compile where errors are raised, and
 * `GET /problems/{code}` (the problem `type` URI) serves each entry (ADR 0022).
 *
 * A leaf module: errors.ts, problem.ts and the /problems routes all read it, so it imports nothing.
 */

/** What kind of failure a service reports; the kind alone decides the HTTP status (ADR 0003). */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'precondition_required'
  | 'rule_violation'
  | 'rate_limited'
  | 'unavailable';

/** How each kind of service error reads over HTTP. */
export const KIND_HTTP = {
  validation: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  precondition_required: { status: 428, title: 'Precondition required' },
  rule_violation: { status: 422, title: 'Unprocessable content' },
  rate_limited: { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<ErrorKind, { status: number; title: string }>;

export interface ErrorCodeEntry {
  /** The kind a service throws this code with; null for codes only the HTTP layer answers with. */
  kind: ErrorKind | null;
  status: number;
  title: string;
  /** For the client developer: what went wrong and what to do about it. */
  explanation: string;
}

/** A code services throw (as a DomainError of this kind); the HTTP layer may answer with it too. */
const thrown = <K extends ErrorKind>(kind: K, explanation: string) => ({ kind, ...KIND_HTTP[kind], explanation });

/** A code only the HTTP layer answers with (routing, parsing, the last-resort handler). */
const http = (status: number, title: string, explanation: string) => ({ kind: null, status, title, explanation });

export const ERROR_CODES = {
  // 400: the request itself is malformed.
  validation_failed: thrown(
    'validation',
    'A path parameter, query parameter, header or body field has the wrong type, format or size, or is not allowed. ' +
      '`errors[]` names each offending field (`body.title`, `query.limit`, …): fix those fields and send the request again.',
  ),
  invalid_value: http(
    400,
    'Invalid request',
    'A value in the request is outside what the database can store, or not in a form it can read ' +
      '(a date beyond year 9999, a number out of range). Send a value within the documented bounds.',
  ),
  malformed_json: http(
    400,
    'Malformed JSON',
    'The request body is not valid JSON. Check the body your client serializes; a truncated or hand-built body is the usual cause.',
  ),
  request_failed: http(
    400,
    'Request failed',
    'The request could not be parsed (for example a malformed form body). Send a JSON body with `Content-Type: application/json`.',
  ),
  invalid_cursor: thrown(
    'validation',
    'The `cursor` query parameter is not one this API returned for this query (cursors are signed for their ' +
      '`limit`, `type` and `platform`). Pass `nextCursor` unchanged with the same parameters, or leave it out.',
  ),
  unknown_time_zone: thrown(
    'validation',
    '`timeZone` is not an IANA time zone name. Use a name such as `Europe/London` or `America/New_York`.',
  ),
  invalid_date_time: thrown(
    'validation',
    '`scheduledAt` is not a valid date-time. Send ISO 8601, such as `2030-05-01T09:00:00Z`, or a local date-time with `timeZone`.',
  ),
  time_zone_required: thrown(
    'validation',
    '`scheduledAt` has no UTC offset, so it cannot be placed in time. Add an offset (`Z`, `+02:00`) or send `timeZone` with the local date-time.',
  ),

  // 401: who is calling is unknown.
  missing_credentials: thrown(
    'unauthenticated',
    'The request has no credentials. Send `Authorization: Bearer <token>` with an access token, an API key, or on the delivery API a delivery token.',
  ),
  invalid_token: thrown(
    'unauthenticated',
    'The bearer token is malformed, expired, signed by an unknown key, or the wrong kind for this API ' +
      '(delivery tokens on `/delivery/v1`, access tokens and API keys on `/api/v1`), or its `typ` header is not an ' +
      'accepted access token type (`at+jwt` by default). Obtain a fresh access token and retry.',
  ),
  invalid_api_key: thrown(
    'unauthenticated',
    'The API key is unknown, revoked or expired. Create a new key (`POST /api/v1/api-keys`) and use its secret.',
  ),
  unknown_principal: thrown(
    'unauthenticated',
    'The token is valid but names no account on this platform. Ask an administrator of your organization to create your user.',
  ),
  email_not_verified: thrown(
    'unauthenticated',
    'No account is bound to this identity provider account yet, and the email address in the token cannot name one: ' +
      'the identity provider does not vouch for it (`email_verified` is missing or not `true`). ' +
      'Verify the address with your identity provider and sign in again.',
  ),
  identity_conflict: thrown(
    'unauthenticated',
    'The account this token names is bound to another identity provider account (the one that first signed in as it). ' +
      'Sign in with that account; if you lost it, ask an administrator. The attempt is logged.',
  ),
  invalid_session: thrown(
    'unauthenticated',
    'The session cookie names no session, or one whose user has since moved to another organization. ' +
      'Sign in again (`GET /auth/{org}/login`).',
  ),
  session_expired: thrown(
    'unauthenticated',
    'The session ended: it was unused for longer than the idle timeout, or it reached its absolute lifetime. Sign in again.',
  ),
  session_revoked: thrown(
    'unauthenticated',
    'The session was ended: signed out, revoked in `/api/v1/me/sessions`, or ended when an administrator changed the ' +
      "account's role or status or the organization's SSO. Sign in again.",
  ),
  sso_login_expired: thrown(
    'unauthenticated',
    'The sign-in this callback belongs to is unknown, already completed, expired, or was started in another browser ' +
      '(the `state` and the sign-in cookie must match). Start again at `/auth/{org}/login`.',
  ),
  sso_provider_error: thrown(
    'unauthenticated',
    'The identity provider did not authenticate you (it answered the sign-in with an error, named in the `detail`). ' +
      'Start again, or ask your administrator to check the provider.',
  ),
  sso_token_invalid: thrown(
    'unauthenticated',
    "The identity provider's answer failed a check: the code was refused or used already, or the ID token's signature, " +
      'issuer, audience, nonce, lifetime or algorithm is wrong (the `detail` says which). Start again; if it persists, ' +
      "your administrator should check the organization's SSO configuration.",
  ),
  insufficient_user_authentication: thrown(
    'unauthenticated',
    'Your role needs multi-factor authentication here and the credential does not show it (recently enough). Sign in again ' +
      'asking for the `acr_values`/`max_age` of `WWW-Authenticate` (RFC 9470; a browser session: go to `stepUp.url`), ' +
      'or verify a code at `POST /api/v1/me/mfa/verify`.',
  ),

  // 403: the caller is known but may not do this.
  forbidden: thrown(
    'forbidden',
    "The caller's role does not include the permission this operation needs. `GET /api/v1/me/permissions` lists what you may do.",
  ),
  account_inactive: thrown(
    'forbidden',
    'The account is inactive, so its tokens and API keys are refused. An organization administrator can reactivate it.',
  ),
  account_suspended: thrown(
    'forbidden',
    'The account is suspended, so its tokens and API keys are refused. An organization administrator can lift the suspension.',
  ),
  organization_switch_forbidden: thrown(
    'forbidden',
    '`X-Organization-Id` lets only a super_admin act in another organization. Leave the header out to act in your own.',
  ),
  super_admin_required: thrown(
    'forbidden',
    'Only a super_admin may create, grant or modify the super_admin role. Ask a super_admin to make the change.',
  ),
  creator_required: thrown(
    'forbidden',
    'Content is created on behalf of a user; the system actor cannot create it. Call with a user token or a user-created API key.',
  ),
  not_content_owner: thrown(
    'forbidden',
    'Your role may edit only content you created. Ask an editor (or the author) to make this change.',
  ),
  api_key_role_escalation: thrown(
    'forbidden',
    'An API key may not have permissions your own role lacks. Choose a role whose permissions are a subset of yours.',
  ),
  cannot_review_own: thrown(
    'forbidden',
    'Four eyes: neither the creator of an item nor anyone who wrote a version of it since its last approval may ' +
      'review its compliance (the detail names the version you wrote). Someone else with the permission must do it.',
  ),
  cannot_approve_own: thrown(
    'forbidden',
    'Four eyes: neither the creator of an item nor anyone who wrote a version of it since its last approval may ' +
      'approve it (the detail names the version you wrote). Someone else with the permission must do it.',
  ),
  csrf_check_failed: thrown(
    'forbidden',
    'A request authenticated by the session cookie that changes something must come from this site: an `Origin` ' +
      '(or `Sec-Fetch-Site: same-origin`) of this API, and the header `X-CSRF: 1`. Send both, or use a bearer token.',
  ),
  user_principal_required: thrown(
    'forbidden',
    "Sessions belong to people: an API key has none to list or revoke. Call with the user's own token or session.",
  ),
  sso_domain_not_allowed: thrown(
    'forbidden',
    "No account exists for this address, and its domain is not one the organization's SSO provisions accounts for. " +
      'Ask an administrator to invite you, or to add the domain.',
  ),
  sso_invitation_required: thrown(
    'forbidden',
    'No account exists for this address, and the organization provisions none at sign-in (no default role, and no ' +
      'role mapped from your groups). Ask an administrator to invite you.',
  ),
  sso_wrong_organization: thrown(
    'forbidden',
    "This account belongs to another organization; an organization's SSO signs in only its own members. " +
      "Sign in through your own organization's page (`/auth/{org}/login`).",
  ),
  mfa_user_required: thrown(
    'forbidden',
    "Second factors belong to people: an API key has none, and is not asked for one. Call with a user's token or session.",
  ),
  built_in_totp_disabled: thrown(
    'forbidden',
    'The organization turned the built-in authenticator off (its security policy), so its codes are neither enrolled nor accepted. ' +
      'Use the multi-factor authentication of your identity provider.',
  ),

  // 404: nothing there (or not in the caller's organization).
  not_found: thrown(
    'not_found',
    'The resource does not exist, or belongs to another organization (which the API does not reveal). Check the id and the organization you act in.',
  ),
  version_not_found: thrown(
    'not_found',
    'The content item has no version with that number. `GET /api/v1/content/{id}/versions` lists the versions it has.',
  ),
  sso_not_configured: thrown(
    'not_found',
    'No organization with this slug (or this email domain) signs in through SSO. Check the address, or sign in with ' +
      'the page of your organization (`/auth/{org}/login`).',
  ),
  route_not_found: http(
    404,
    'Not found',
    'No route matches this method and path. Check the path against the API reference at `/docs`.',
  ),

  // 405, 413, 415: the HTTP request does not fit the route.
  method_not_allowed: http(
    405,
    'Method not allowed',
    'The path exists but not with this method. The `Allow` header lists the methods it supports.',
  ),
  payload_too_large: http(
    413,
    'Payload too large',
    'The request body is larger than the API accepts. Send a smaller body; the `detail` states the limit in bytes.',
  ),
  unsupported_media_type: http(
    415,
    'Unsupported media type',
    'The operation takes a JSON body. Send it with `Content-Type: application/json`.',
  ),

  // 409: conflicts with the current state; read it again before retrying.
  idempotency_request_in_flight: thrown(
    'conflict',
    'A request with this `Idempotency-Key` is still being processed. Wait for `Retry-After` seconds and send it again to get its response.',
  ),
  email_taken: thrown(
    'conflict',
    'Another user already has this email address (emails are compared case-insensitively). Use a different address.',
  ),
  slug_taken: thrown('conflict', 'Another organization already uses this slug. Choose a different slug.'),
  sso_domain_ambiguous: thrown(
    'conflict',
    'Several organizations sign in people of this email domain, so the address does not say which one you mean. ' +
      "Sign in through your organization's page instead (`/auth/{org}/login`).",
  ),
  invalid_transition: thrown(
    'conflict',
    'The workflow action does not apply to the content in its current status; the `detail` says which actions do. Read the item again and pick one of those.',
  ),
  not_scheduled: thrown(
    'conflict',
    'The content is not scheduled, so there is nothing to unschedule. Read the item to see its current state.',
  ),
  content_archived: thrown(
    'conflict',
    'Archived content cannot be edited. Restore it first (workflow action `restore`), then edit it.',
  ),
  concurrent_modification: thrown(
    'conflict',
    'The content kept changing while this request tried to apply. Read it again and retry with the current version.',
  ),
  delivery_in_progress: thrown(
    'conflict',
    'The webhook delivery is still being attempted. Replay it once it has succeeded or been dead-lettered.',
  ),
  dead_letter_resolved: thrown(
    'conflict',
    'The dead letter is already resolved: its effect ran since it was listed (the cron re-drives due rows every minute). ' +
      'List the dead letters again; nothing needs replaying.',
  ),
  mfa_already_enrolled: thrown(
    'conflict',
    'You already have a confirmed authenticator. To replace it, remove it first (`DELETE /api/v1/me/mfa/totp`, which needs ' +
      'multi-factor authentication), or ask an administrator to reset it if you lost it.',
  ),
  mfa_enrolment_not_started: thrown(
    'conflict',
    'There is no enrolment waiting for its first code: none was started, it was already confirmed, or it expired ' +
      '(the `detail` says which). Start one with `POST /api/v1/me/mfa/totp`.',
  ),
  mfa_not_enrolled: thrown(
    'conflict',
    'You have no confirmed authenticator, so there is no code to verify. Enrol one with `POST /api/v1/me/mfa/totp` and confirm it.',
  ),

  // 412: a conditional request whose condition failed.
  precondition_failed: thrown(
    'precondition_failed',
    '`If-Match` does not match the current version: someone changed the item since you read it. Read it again, reapply your change and send the new ETag.',
  ),

  // 428: a sign-off that does not say which version it judges.
  precondition_required: thrown(
    'precondition_required',
    'Approve, publish, schedule and the compliance review need `If-Match` with the ETag of the version you reviewed ' +
      '(`*` does not count), so an edit made after you read the item is never signed off unseen. Read the item and ' +
      'send its ETag.',
  ),

  // 422: well formed, but breaks a business rule.
  idempotency_key_reused: thrown(
    'rule_violation',
    'This `Idempotency-Key` was already used with a different request. Use a new key for a new request; reuse a key only to retry the identical request.',
  ),
  expires_at_in_past: thrown(
    'rule_violation',
    '`expiresAt` must be in the future. Send a later time, or leave it out for no expiry.',
  ),
  expires_at_too_far: thrown(
    'rule_violation',
    '`expiresAt` is further ahead than a credential may live (the `detail` states the limit). ' +
      'Send an earlier time, and rotate the credential before it expires.',
  ),
  api_key_role_not_allowed: thrown(
    'rule_violation',
    'An API key cannot have the super_admin role. Choose another role.',
  ),
  api_key_creator_required: thrown(
    'rule_violation',
    'An API key is created on behalf of a user; the system actor cannot create one. Call as a user.',
  ),
  api_key_creator_not_member: thrown(
    'rule_violation',
    'API keys are created by a member of the organization they belong to; you are acting in another organization through `X-Organization-Id`. ' +
      'Have a member of that organization create it.',
  ),
  delivery_token_creator_required: thrown(
    'rule_violation',
    'A delivery token is created on behalf of a user; the system actor cannot create one. Call as a user.',
  ),
  delivery_token_creator_not_member: thrown(
    'rule_violation',
    'Delivery tokens are created by a member of the organization they belong to; you are acting in another organization through `X-Organization-Id`. ' +
      'Have a member of that organization create it.',
  ),
  profile_too_large: thrown(
    'rule_violation',
    'The user `profile` is larger than allowed once serialized as JSON (the `detail` states the limit). Store less in it.',
  ),
  cannot_modify_self: thrown(
    'rule_violation',
    'You cannot change your own role or status. Ask another administrator to make the change.',
  ),
  last_org_admin: thrown(
    'rule_violation',
    'The change would leave the organization without an active org_admin. Promote or activate another org_admin first.',
  ),
  creator_not_in_organization: thrown(
    'rule_violation',
    'Content is created by a member of its organization; you are acting in another organization through `X-Organization-Id`. ' +
      'Have a member of that organization create it.',
  ),
  platforms_required: thrown(
    'rule_violation',
    'Content must target at least one platform. Send a non-empty `platforms`.',
  ),
  schedule_in_past: thrown(
    'rule_violation',
    '`scheduledAt` is not in the future. Send a later time, or publish now instead.',
  ),
  nonexistent_local_time: thrown(
    'rule_violation',
    'The local date-time never happens in that time zone: the clocks skip it at a daylight-saving change. Choose a time outside the gap.',
  ),
  time_zone_offset_mismatch: thrown(
    'rule_violation',
    '`scheduledAt` carries a UTC offset that the given `timeZone` does not have at that time. Send the local time without an offset, or fix the offset.',
  ),
  gate_compliance: thrown(
    'rule_violation',
    'The content cannot be approved or published until its compliance review is approved. Have a reviewer approve its compliance first.',
  ),
  gate_quality: thrown(
    'rule_violation',
    "The content's quality score is below the organization's approval threshold. Improve the content (the score is recomputed on save) and try again.",
  ),
  gates_not_met: thrown(
    'rule_violation',
    'Several approval gates fail (compliance and quality); `errors[]` names each one. Meet every gate, then try again.',
  ),
  slug_reserved: thrown('rule_violation', 'The platform reserves this slug for its own use. Choose a different slug.'),
  webhook_url_forbidden: thrown(
    'rule_violation',
    'The webhook URL is not allowed: it must be https, carry no credentials, and name a host (not an IP address) that resolves only to public addresses. ' +
      'The `detail` says which rule failed; point the webhook at a publicly reachable endpoint.',
  ),
  webhook_url_unresolvable: thrown(
    'rule_violation',
    'The webhook host name has no addresses in DNS. Check the host name, or publish its DNS records first.',
  ),
  sso_issuer_invalid: thrown(
    'rule_violation',
    'The issuer is not a usable OpenID Connect provider: a URL not allowed (https to a public host), no readable ' +
      'discovery document, one naming another issuer, or a missing endpoint. The `detail` says which.',
  ),
  webhook_limit_reached: thrown(
    'rule_violation',
    'The organization already has as many webhooks as it may have. Delete one you no longer need first.',
  ),
  webhook_inactive: thrown(
    'rule_violation',
    'The webhook is turned off. Turn it on (`PATCH` with `active: true`) before replaying its deliveries.',
  ),
  version_not_restorable: thrown(
    'rule_violation',
    'That version does not hold a complete type, title, body and platforms, so it cannot be restored. Pick another version.',
  ),
  time_range_too_long: thrown(
    'rule_violation',
    'The requested window covers more days than allowed (the `detail` states the limit). Ask for a shorter range, in several requests if needed.',
  ),
  invalid_time_range: thrown('rule_violation', '`from` is after `to`. Swap them, or send a `from` on or before `to`.'),
  no_valid_events: thrown(
    'rule_violation',
    'None of the engagement events in the batch could be accepted; `errors[]` says why for each. Fix the events and send them again.',
  ),
  invalid_mfa_code: thrown(
    'rule_violation',
    'The code is not the current one of your authenticator, nor an unused recovery code. Check the clock of the device and ' +
      'type the code it shows now; attempts are limited per minute (429).',
  ),
  mfa_code_already_used: thrown(
    'rule_violation',
    'This authenticator code (or an older one) was already used: each code counts once. Wait for the next code and send that one.',
  ),

  // 429
  rate_limited: thrown(
    'rate_limited',
    'Too many requests for this rate limit; the `detail` names the limit. Wait `Retry-After` seconds before sending more, and spread requests out.',
  ),
  too_many_authentication_failures: thrown(
    'rate_limited',
    'Too many requests from your address failed authentication lately, so credentials from it are refused without being checked. ' +
      'Wait `Retry-After` seconds, and fix the client that sends an expired, revoked or mistyped token or key before retrying.',
  ),

  // 500, 503: the platform's side; retrying later is the client's part.
  internal_error: http(
    500,
    'Internal server error',
    'An unexpected error on our side. Retrying may succeed; if it persists, report it quoting the `requestId`.',
  ),
  database_unavailable: http(
    503,
    'Service unavailable',
    'The database is not reachable right now. Retry after `Retry-After` seconds.',
  ),
  database_not_configured: thrown(
    'unavailable',
    'This deployment has no database configured. Operators: set `DATABASE_URL`. Clients: retry later.',
  ),
  auth_not_configured: thrown(
    'unavailable',
    'This deployment cannot verify access tokens: no key set is configured. Operators: set `JWKS_URL`. Clients: retry later.',
  ),
  jwks_unavailable: thrown(
    'unavailable',
    "The identity provider's key set could not be fetched, so the token could not be checked (it may be fine). Retry after `Retry-After` seconds.",
  ),
  sso_provider_unavailable: thrown(
    'unavailable',
    "The organization's identity provider could not be reached (discovery, token endpoint or key set). " +
      'Retry the sign-in after `Retry-After` seconds.',
  ),
  queue_unavailable: thrown(
    'unavailable',
    'The event queue did not accept the events, so none were recorded. Retry the same batch after `Retry-After` seconds.',
  ),
  webhook_url_check_unavailable: thrown(
    'unavailable',
    'The webhook host name could not be checked against DNS right now, so the URL was not saved. Retry after `Retry-After` seconds.',
  ),
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes a service may throw with a given kind: a code and its kind cannot disagree. */
export type ErrorCodeOf<K extends ErrorKind> = {
  [C in ErrorCode]: (typeof ERROR_CODES)[C]['kind'] extends K ? C : never;
}[ErrorCode];

/** Whether a string from outside (a URL) is a catalogued code; own keys only, so `constructor` is not one. */
export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);
