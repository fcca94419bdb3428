/**
 * Users and roles: who is in the organization, their role, status and last sign-in; invite, change role,
 * deactivate / reactivate and reset a lost authenticator (users.manage), and the API's own permission table.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { type Role, useSession } from '../../auth/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog, Dialog } from '../../ui/Dialog.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pagination } from '../../ui/Pagination.tsx';
import { Pill, statusLabel } from '../../ui/Pill.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { TableSkeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { Field, errorFor, fieldErrors } from './form.tsx';
import { assignableRoles, roleLabel, roles } from './labels.ts';
import { RolesMatrix } from './RolesMatrix.tsx';
import { oneOf, useDebounced, useUrlState } from './url-state.ts';

// The generated User is nullable (Me.user reuses the component); a listed user never is.
type User = NonNullable<Schemas['User']>;
const statuses = ['active', 'inactive', 'suspended'] as const;
const LIMIT = 20;

export function UsersSection() {
  const { can } = useSession();
  const { get, page, set } = useUrlState();
  const role = oneOf(get('role'), roles);
  const status = oneOf(get('status'), statuses);
  const q = get('q') || undefined;
  const [inviting, setInviting] = useState(false);
  const search = useDebounced((text: string) => set({ q: text.trim() || null }));
  const users = useQuery({
    queryKey: ['settings', 'users', { role, status, q, page }],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/users', { params: { query: { role, status, q, page, limit: LIMIT } } })),
    placeholderData: keepPreviousData,
  });
  const manage = can('users.manage');

  return (
    <section aria-labelledby="users-title">
      <PageHeader
        title={<span id="users-title">Users and roles</span>}
        breadcrumb="Settings"
        actions={
          <Button
            variant="primary"
            onClick={() => setInviting(true)}
            disabledReason={manage ? null : 'Your role may see users but not invite them (users.manage).'}
          >
            Invite user
          </Button>
        }
      />
      <search className="filters" aria-label="Filter users">
        <label className="field">
          <span>Find a user</span>
          <input
            type="search"
            defaultValue={q ?? ''}
            onChange={(event) => search(event.target.value)}
            placeholder="Part of an email address"
          />
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role ?? ''} onChange={(event) => set({ role: event.target.value || null })}>
            <option value="">Any role</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select value={status ?? ''} onChange={(event) => set({ status: event.target.value || null })}>
            <option value="">Any status</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
      </search>
      {users.error ? (
        <ProblemView error={users.error} onRetry={() => users.refetch()} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Users of the organization</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              {users.isPending ? (
                <TableSkeleton rows={5} columns={5} />
              ) : (
                <tbody>
                  {users.data.data.flatMap((user) => (user ? [<UserRow key={user.id} user={user} />] : []))}
                  {users.data.data.length === 0 ? (
                    <tr>
                      <td colSpan={5} className="empty-state">
                        No users match these filters.
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              )}
            </table>
          </div>
          {users.data ? (
            <Pagination
              page={page}
              totalPages={Math.max(1, users.data.totalPages)}
              total={users.data.total}
              noun="users"
              onPage={(p) => set({ page: p })}
            />
          ) : null}
        </>
      )}
      <InviteDialog open={inviting} onClose={() => setInviting(false)} />
      <RolesMatrix />
    </section>
  );
}

type Pending = { kind: 'role' } | { kind: 'status'; to: 'active' | 'inactive' } | { kind: 'mfa' } | null;

function UserRow({ user }: { user: User }) {
  const { can, role: myRole, userId } = useSession();
  const [pending, setPending] = useState<Pending>(null);
  const [newRole, setNewRole] = useState<Role>(user.role);
  const queryClient = useQueryClient();
  const toast = useToast();
  const update = useMutation({
    mutationFn: async (body: Schemas['UpdateUser']) =>
      unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body })),
    onSuccess: (updated) => {
      queryClient.invalidateQueries({ queryKey: ['settings', 'users'] });
      if (updated) toast(`${updated.email}: ${roleLabel(updated.role)}, ${statusLabel(updated.status).toLowerCase()}`);
      setPending(null);
    },
  });
  const resetMfa = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/users/{id}/mfa/reset', { params: { path: { id: user.id } } })),
    onSuccess: () => {
      toast(`Authenticator reset for ${user.email}`);
      setPending(null);
    },
  });
  const reason = !can('users.manage')
    ? 'Your role may not manage users (users.manage).'
    : user.id === userId
      ? 'You cannot change your own role or status; ask another admin.'
      : user.role === 'super_admin' && myRole !== 'super_admin'
        ? 'Only a super admin can change a super admin.'
        : null;
  const deactivating = user.status === 'active';
  const close = () => {
    setPending(null);
    update.reset();
    resetMfa.reset();
  };
  return (
    <tr>
      <td>{user.email}</td>
      <td>{roleLabel(user.role)}</td>
      <td>
        <Pill value={user.status} />
      </td>
      <td className="nowrap">
        {user.lastLogin ? <Time iso={user.lastLogin} /> : <span className="muted">Never</span>}
      </td>
      <td>
        <div className="row-actions">
          <Button
            className="btn-small"
            aria-label={`Change role of ${user.email}`}
            disabledReason={reason}
            onClick={() => {
              setNewRole(user.role);
              setPending({ kind: 'role' });
            }}
          >
            Role
          </Button>
          <Button
            className="btn-small"
            aria-label={`${deactivating ? 'Deactivate' : 'Reactivate'} ${user.email}`}
            disabledReason={reason}
            onClick={() => setPending({ kind: 'status', to: deactivating ? 'inactive' : 'active' })}
          >
            {deactivating ? 'Deactivate' : 'Reactivate'}
          </Button>
          <Button
            className="btn-small"
            aria-label={`Reset MFA of ${user.email}`}
            disabledReason={
              !can('users.manage')
                ? 'Your role may not manage users (users.manage).'
                : user.role === 'super_admin' && myRole !== 'super_admin'
                  ? 'Only a super admin can reset a super admin’s authenticator.'
                  : null
            }
            onClick={() => setPending({ kind: 'mfa' })}
          >
            Reset MFA
          </Button>
        </div>
        <Dialog
          open={pending?.kind === 'role'}
          title={`Change the role of ${user.email}`}
          onClose={close}
          footer={
            <>
              <Button onClick={close}>Cancel</Button>
              <Button
                variant="primary"
                busy={update.isPending}
                disabledReason={newRole === user.role ? 'Pick a different role first.' : null}
                onClick={() => update.mutate({ role: newRole })}
              >
                Change role
              </Button>
            </>
          }
        >
          <div className="stack">
            <Field label="New role" error={errorFor(fieldErrors(update.error), 'role')}>
              {(props) => (
                <select {...props} value={newRole} onChange={(event) => setNewRole(event.target.value as Role)}>
                  {assignableRoles(myRole).map((r) => (
                    <option key={r} value={r}>
                      {roleLabel(r)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <p className="consequence">
              From their next request {user.email} can do exactly what the {roleLabel(newRole)} role allows (see the
              roles matrix below); the change is recorded in the audit log.
            </p>
            {update.error ? <ProblemView error={update.error} compact /> : null}
          </div>
        </Dialog>
        <ConfirmDialog
          open={pending?.kind === 'status'}
          title={deactivating ? `Deactivate ${user.email}?` : `Reactivate ${user.email}?`}
          consequence={
            deactivating
              ? `${user.email} is refused on every request from now on: their sessions and tokens stop working until ` +
                `an admin reactivates them. Their content stays.`
              : `${user.email} can sign in and use ContentOS again with the ${roleLabel(user.role)} role.`
          }
          confirmLabel={deactivating ? 'Deactivate' : 'Reactivate'}
          danger={deactivating}
          busy={update.isPending}
          onConfirm={() => update.mutate({ status: deactivating ? 'inactive' : 'active' })}
          onCancel={close}
        >
          {update.error ? <ProblemView error={update.error} compact /> : null}
        </ConfirmDialog>
        <ConfirmDialog
          open={pending?.kind === 'mfa'}
          title={`Reset the authenticator of ${user.email}?`}
          consequence={
            `Their built-in authenticator, recovery codes and every verification it made are removed. If their ` +
            `role needs MFA, they must enrol a new authenticator (or sign in with the provider's MFA) before they ` +
            `can work again. Use this for a lost device or a suspected compromise.`
          }
          confirmLabel="Reset MFA"
          danger
          busy={resetMfa.isPending}
          onConfirm={() => resetMfa.mutate()}
          onCancel={close}
        >
          {resetMfa.error ? <ProblemView error={resetMfa.error} compact /> : null}
        </ConfirmDialog>
      </td>
    </tr>
  );
}

function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { role: myRole } = useSession();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const queryClient = useQueryClient();
  const toast = useToast();
  const invite = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/users', { body: { email: email.trim(), role, status: 'active' } })),
    onSuccess: (user) => {
      queryClient.invalidateQueries({ queryKey: ['settings', 'users'] });
      if (user) toast(`${user.email} added as ${roleLabel(user.role)}`);
      setEmail('');
      invite.reset();
      onClose();
    },
  });
  const errors = fieldErrors(invite.error);
  const close = () => {
    invite.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      title="Invite a user"
      onClose={close}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" form="invite-user" variant="primary" busy={invite.isPending}>
            Invite
          </Button>
        </>
      }
    >
      <form
        id="invite-user"
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate();
        }}
      >
        <Field
          label="Email"
          hint="They sign in with this address through the organization's sign-in."
          error={errors.email}
        >
          {(props) => (
            <input {...props} type="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
          )}
        </Field>
        <Field label="Role" error={errors.role}>
          {(props) => (
            <select {...props} value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {assignableRoles(myRole).map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {invite.error ? <ProblemView error={invite.error} compact /> : null}
      </form>
    </Dialog>
  );
}
