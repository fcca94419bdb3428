/** The organization on top of the rail; a super_admin can switch to any (the URL changes, caches are cleared). */
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { listOrganizations } from './organizations.ts';

export function OrgSwitcher() {
  const { me, role } = useSession();
  const { org } = useParams();
  const navigate = useNavigate();
  const organizations = useQuery({
    queryKey: ['organizations'],
    queryFn: listOrganizations,
    enabled: role === 'super_admin',
    staleTime: 300_000,
  });
  if (role !== 'super_admin' || !organizations.data) {
    return (
      <div className="org">
        <span className="org-mark" aria-hidden="true">
          {me.organization.name.slice(0, 1)}
        </span>
        <span>
          <strong>{me.organization.name}</strong>
          <span className="muted small">{me.organization.slug}</span>
        </span>
      </div>
    );
  }
  return (
    <label className="org">
      <span className="visually-hidden">Organization</span>
      <select value={org} onChange={(event) => navigate(`/o/${event.target.value}`)}>
        {organizations.data.map((o) => (
          <option key={o.id} value={o.slug}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
