/** The roles matrix: the API's own permission table (GET /api/v1/me/permissions `table`), role × action, in words. */
import { useSession, useSessionQuery } from '../../auth/session.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { actionLabels, roleLabel, roles } from './labels.ts';

export function RolesMatrix() {
  const session = useSessionQuery();
  const { role: myRole } = useSession();
  if (session.isPending) return <Skeleton lines={6} label="Loading the roles matrix" />;
  if (session.error) return <ProblemView error={session.error} onRetry={() => session.refetch()} />;
  const table = session.data.permissions.table;
  const actions = Object.keys(actionLabels) as (keyof typeof actionLabels)[];
  return (
    <section className="section-gap" aria-labelledby="roles-matrix-title">
      <h2 id="roles-matrix-title">Roles and what they may do</h2>
      <p className="muted">
        Read-only: the permission table every check in the API reads. Your role is {roleLabel(myRole)}.
      </p>
      <div className="table-wrap">
        <table className="data matrix">
          <thead>
            <tr>
              <th scope="col">Action</th>
              {roles.map((r) => (
                <th key={r} scope="col">
                  {roleLabel(r)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {actions.map((action) => (
              <tr key={action}>
                <th scope="row">
                  {actionLabels[action]} <code className="muted small">{action}</code>
                </th>
                {roles.map((r) => {
                  const yes = table[r]?.includes(action) ?? false;
                  return (
                    <td key={r} className={yes ? 'yes' : 'no'}>
                      {yes ? '✓ Allowed' : '— No'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
