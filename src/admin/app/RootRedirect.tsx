/** /admin/: to the signed-in person's organization, or to sign-in. */
import { Navigate } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useSessionQuery } from '../auth/session.tsx';
import { ProblemView } from '../ui/ProblemView.tsx';
import { Skeleton } from '../ui/Skeleton.tsx';

export function RootRedirect() {
  const session = useSessionQuery();
  if (session.isPending) return <Skeleton lines={4} label="Signing in" />;
  if (session.error instanceof ApiError && session.error.status === 401) return <Navigate to="/sign-in" replace />;
  if (session.error) return <ProblemView error={session.error} onRetry={() => session.refetch()} />;
  return <Navigate to={`/o/${session.data.me.organization.slug}`} replace />;
}
