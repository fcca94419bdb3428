import { useSession } from '../../auth/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';

/** Placeholder until the dashboard is built (issue 16). */
export function DashboardScreen() {
  const { me } = useSession();
  return <PageHeader title={`Welcome, ${me.user?.email ?? ''}`} />;
}
