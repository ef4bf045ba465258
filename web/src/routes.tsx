import { lazy } from 'react';
import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router';
import type { Permission } from './api/types';
import { useSession } from './auth/session';
import { Layout } from './components/Layout';
import { ErrorState, TableSkeleton } from './components/States';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage, ForbiddenPage, RouteErrorPage } from './pages/NotFoundPage';

// Every page is its own chunk: the first load carries the shell, the login and the client only.
const pages = {
  dashboard: () => import('./pages/DashboardPage'),
  orders: () => import('./pages/OrdersPage'),
  customers: () => import('./pages/CustomersPage'),
  customer: () => import('./pages/CustomerProfilePage'),
  settings: () => import('./pages/SettingsPage'),
  service: () => import('./pages/service/ServiceDeskPage'),
  serviceNew: () => import('./pages/service/ServiceWizardPage'),
  serviceAction: () => import('./pages/service/ServiceActionPage'),
  hub: () => import('./pages/service/HubPage'),
  reviews: () => import('./pages/service/ReviewsPage'),
  technician: () => import('./pages/service/TechnicianPage'),
  desk: () => import('./pages/DeskPage'),
};
const DashboardPage = lazy(pages.dashboard);
const OrdersPage = lazy(pages.orders);
const CustomersPage = lazy(pages.customers);
const CustomerProfilePage = lazy(pages.customer);
const SettingsPage = lazy(pages.settings);
const ServiceDeskPage = lazy(pages.service);
const ServiceWizardPage = lazy(pages.serviceNew);
const ServiceActionPage = lazy(pages.serviceAction);
const HubPage = lazy(pages.hub);
const ReviewsPage = lazy(pages.reviews);
const TechnicianPage = lazy(pages.technician);
const DeskPage = lazy(pages.desk);

/** Starts loading the page a signed-in visit opens on while /auth/me is still answering (one wait, not two). */
export function preloadPage(pathname: string): void {
  const [, first = '', second] = pathname.split('/');
  const byFirst: Record<string, (() => Promise<unknown>) | undefined> = {
    '': pages.dashboard,
    orders: pages.orders,
    customers: second ? pages.customer : pages.customers,
    settings: pages.settings,
    service: second === 'new' ? pages.serviceNew : second ? pages.serviceAction : pages.service,
    hub: pages.hub,
    reviews: pages.reviews,
    technician: pages.technician,
    desk: pages.desk,
  };
  const load = Object.hasOwn(byFirst, first) ? byFirst[first] : undefined;
  void load?.().catch(() => undefined);
}

/** Signed-in area: the login page when anonymous, a skeleton while /auth/me answers. */
function RequireSession() {
  const { status, error, reload } = useSession();
  const location = useLocation();
  if (status === 'anonymous')
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (status === 'error') return <ErrorState error={error} onRetry={reload} />;
  if (status === 'loading') return <TableSkeleton />;
  return <Outlet />;
}

/** A page that needs one of some permissions: 'not allowed' rather than a page full of 403s. */
function Guard({ anyOf, children }: { anyOf: Permission[]; children: React.ReactNode }) {
  const { can } = useSession();
  return anyOf.some(can) ? children : <ForbiddenPage />;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
  {
    element: <RequireSession />,
    errorElement: <RouteErrorPage />,
    children: [
      {
        element: <Layout />,
        children: [
          {
            index: true,
            element: (
              <Guard anyOf={['orders:read']}>
                <DashboardPage />
              </Guard>
            ),
          },
          {
            path: 'orders',
            element: (
              <Guard anyOf={['orders:read']}>
                <OrdersPage />
              </Guard>
            ),
          },
          {
            path: 'orders/:orderId',
            element: (
              <Guard anyOf={['orders:read']}>
                <OrdersPage />
              </Guard>
            ),
          },
          {
            path: 'customers',
            element: (
              <Guard anyOf={['customers:read']}>
                <CustomersPage />
              </Guard>
            ),
          },
          {
            path: 'customers/:ref',
            element: (
              <Guard anyOf={['customers:read']}>
                <CustomerProfilePage />
              </Guard>
            ),
          },
          {
            path: 'settings/:tab?',
            element: (
              <Guard anyOf={['integrations:read', 'users:read', 'api_keys:read', 'webhooks:read', 'tenant:read']}>
                <SettingsPage />
              </Guard>
            ),
          },
          {
            path: 'service',
            element: (
              <Guard anyOf={['service:read']}>
                <ServiceDeskPage />
              </Guard>
            ),
          },
          {
            path: 'service/new',
            element: (
              <Guard anyOf={['service:write']}>
                <ServiceWizardPage />
              </Guard>
            ),
          },
          {
            path: 'service/:id',
            element: (
              <Guard anyOf={['service:read']}>
                <ServiceActionPage />
              </Guard>
            ),
          },
          {
            path: 'hub',
            element: (
              <Guard anyOf={['hub:operate']}>
                <HubPage />
              </Guard>
            ),
          },
          {
            path: 'hub/:actionId',
            element: (
              <Guard anyOf={['hub:operate']}>
                <HubPage />
              </Guard>
            ),
          },
          {
            path: 'reviews',
            element: (
              <Guard anyOf={['reviews:read']}>
                <ReviewsPage />
              </Guard>
            ),
          },
          {
            path: 'technician',
            element: (
              <Guard anyOf={['service:execute']}>
                <TechnicianPage />
              </Guard>
            ),
          },
          {
            path: 'technician/:id',
            element: (
              <Guard anyOf={['service:execute']}>
                <TechnicianPage />
              </Guard>
            ),
          },
          {
            path: 'desk',
            element: (
              <Guard anyOf={['interactions:read']}>
                <DeskPage />
              </Guard>
            ),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
