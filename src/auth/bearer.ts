/** RFC 6750 `Bearer <token68>`: the credential, or undefined when the header is not in that form. */
const BEARER = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;

export const bearerCredential = (header: string): string | undefined => BEARER.exec(header)?.[1];
