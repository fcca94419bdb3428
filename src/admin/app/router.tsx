/**
 * Every screen's URL. The organization is in the path (/admin/o/:org/…), so a link names its tenant, and each
 * screen's filters, page and sort live in the query string. Screens other than the dashboard load on demand
 * (the editor's TipTap above all), keeping the first load within budget.
 */
import { lazy, Suspense, type ComponentType } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { DashboardScreen } from '../screens/dashboard/DashboardScreen.tsx';
import { SignInScreen } from '../screens/sign-in/SignInScreen.tsx';
import { Skeleton } from '../ui/Skeleton.tsx';
import { NotFound } from './NotFound.tsx';
import { RootRedirect } from './RootRedirect.tsx';
import { Shell } from './Shell.tsx';

function page(load: () => Promise<{ default: ComponentType }>) {
  const Screen = lazy(load);
  return (
    <Suspense fallback={<Skeleton lines={6} label="Loading the screen" />}>
      <Screen />
    </Suspense>
  );
}

export const router = createBrowserRouter(
  [
    { path: '/', element: <RootRedirect /> },
    { path: '/sign-in', element: <SignInScreen /> },
    {
      path: '/o/:org',
      element: <Shell />,
      children: [
        { index: true, element: <DashboardScreen /> },
        { path: 'content', element: page(() => import('../screens/content-list/ContentListScreen.tsx')) },
        { path: 'content/new', element: page(() => import('../screens/editor/EditorScreen.tsx')) },
        { path: 'content/:id', element: page(() => import('../screens/editor/EditorScreen.tsx')) },
        { path: 'content/:id/versions', element: page(() => import('../screens/versions/VersionsScreen.tsx')) },
        { path: 'calendar', element: page(() => import('../screens/calendar/CalendarScreen.tsx')) },
        { path: 'analytics', element: page(() => import('../screens/analytics/AnalyticsScreen.tsx')) },
        { path: 'settings/*', element: page(() => import('../screens/settings/SettingsScreen.tsx')) },
        { path: 'account', element: page(() => import('../screens/account/AccountScreen.tsx')) },
        { path: '*', element: <NotFound /> },
      ],
    },
    { path: '/o', element: <Navigate to="/" replace /> },
    { path: '*', element: <NotFound /> },
  ],
  { basename: '/admin' },
);
