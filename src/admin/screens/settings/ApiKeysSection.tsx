/** API keys: machine clients of the management API, each bound to a role; the secret is shown once. */
import { api, type Schemas, unwrap } from '../../api/client.ts';
import type { Role } from '../../auth/session.tsx';
import { type CredentialsConfig, CredentialsSection } from './CredentialsSection.tsx';
import { Field } from './form.tsx';
import { roleLabel, roles } from './labels.ts';

type Key = Schemas['ApiKey'];

const config: CredentialsConfig<Key, { role: Role }> = {
  key: 'api-keys',
  title: 'API keys',
  noun: 'API key',
  intro:
    'Keys for scripts and servers that call the management API. A key acts with its role, never more than its creator may do.',
  scopeHeader: 'Role',
  scopeOf: (key) => roleLabel(key.role),
  revokeConsequence: (key) =>
    `Every client using ${key.name} (${key.prefix}…) is refused with 401 from its next request. This cannot be undone; the key stays listed as revoked.`,
  list: async (query) => unwrap(await api.GET('/api/v1/api-keys', { params: { query } })),
  create: async (body) => unwrap(await api.POST('/api/v1/api-keys', { body })),
  revoke: async (id) => unwrap(await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
  initialExtra: { role: 'editor' },
  extraFields: ({ value, onChange, errors }) => (
    <RoleField value={value.role} onChange={(role) => onChange({ role })} error={errors.role} />
  ),
  secretHint: 'Send it as Authorization: Bearer <secret>.',
};

function RoleField({ value, onChange, error }: { value: Role; onChange: (role: Role) => void; error?: string }) {
  return (
    <Field label="Role" hint="What the key may do. It never exceeds what your own role may do." error={error}>
      {(props) => (
        <select {...props} value={value} onChange={(event) => onChange(event.target.value as Role)}>
          {roles
            .filter((r) => r !== 'super_admin')
            .map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
        </select>
      )}
    </Field>
  );
}

export function ApiKeysSection() {
  return <CredentialsSection config={config} />;
}
