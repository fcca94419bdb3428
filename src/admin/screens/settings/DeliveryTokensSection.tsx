/** Delivery tokens: read-only access to published content on the delivery API; the secret is shown once. */
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { type CredentialsConfig, CredentialsSection } from './CredentialsSection.tsx';

type Token = Schemas['DeliveryToken'];

const config: CredentialsConfig<Token, Record<never, never>> = {
  key: 'delivery-tokens',
  title: 'Delivery tokens',
  noun: 'delivery token',
  intro:
    'Read-only tokens for websites and apps that read published content from the delivery API. The management API refuses them.',
  scopeHeader: 'Scope',
  scopeOf: () => 'Delivery API, read published content',
  revokeConsequence: (token) =>
    `Sites and apps using ${token.name} (${token.prefix}…) can no longer read content from the delivery ` +
    `API (unless public access is on). This cannot be undone; the token stays listed as revoked.`,
  list: async (query) => unwrap(await api.GET('/api/v1/delivery-tokens', { params: { query } })),
  create: async ({ name, expiresAt }) =>
    unwrap(await api.POST('/api/v1/delivery-tokens', { body: { name, expiresAt } })),
  revoke: async (id) => unwrap(await api.DELETE('/api/v1/delivery-tokens/{id}', { params: { path: { id } } })),
  initialExtra: {},
  secretHint: 'Send it as Authorization: Bearer <token> to /delivery/v1/<organization>/….',
};

export function DeliveryTokensSection() {
  return <CredentialsSection config={config} />;
}
