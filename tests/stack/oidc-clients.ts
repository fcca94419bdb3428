/**
 * The local provider's one registered client in the tests: its secret is checked, while the client ids the
 * test tenants invent are accepted with any. A leaf module, so tests inside workerd can import it.
 */
export const REGISTERED_OIDC_CLIENT = { id: 'contentos-registered', secret: 'registered-secret' } as const;
