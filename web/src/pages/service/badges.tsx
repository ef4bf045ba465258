// Small pieces the service-cycle pages share: statuses, badges, flags, labelled fields.
import { Badge, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../../api/endpoints';
import type { ServiceAction, ServiceStatus } from '../../api/types';
import { useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';

/** The open statuses, in the order of the cycle: the board's columns. */
export const OPEN_STATUSES: ServiceStatus[] = [
  'requested',
  'return_ordered',
  'return_in_transit',
  'return_received',
  'inspected',
  'review_pending',
  'approved',
  'rejected',
  'in_progress',
  'outbound_shipped',
  'completed',
];

export const SERVICE_TYPES = ['maintenance', 'replace_part', 'replace_full', 'return_refund'] as const;

export const STATUS_COLOR: Record<string, string> = {
  requested: 'gray',
  return_ordered: 'blue',
  return_in_transit: 'indigo',
  return_received: 'cyan',
  inspected: 'teal',
  review_pending: 'yellow',
  approved: 'green',
  rejected: 'red',
  in_progress: 'violet',
  outbound_shipped: 'grape',
  completed: 'lime',
  closed: 'dark',
  cancelled: 'gray',
};

export const TYPE_COLOR: Record<string, string> = {
  maintenance: 'teal',
  replace_part: 'cyan',
  replace_full: 'grape',
  return_refund: 'orange',
};

export function StatusBadge({ status, size = 'sm' }: { status: string; size?: 'xs' | 'sm' | 'md' }) {
  const { tr } = useI18n();
  return (
    <Badge color={STATUS_COLOR[status] ?? 'gray'} variant="light" size={size} data-testid="status-badge">
      {tr('svc.status', status)}
    </Badge>
  );
}

export function TypeBadge({ type, size = 'sm' }: { type: string; size?: 'xs' | 'sm' | 'md' }) {
  const { tr } = useI18n();
  return (
    <Badge color={TYPE_COLOR[type] ?? 'gray'} variant="outline" size={size}>
      {tr('svc.type', type)}
    </Badge>
  );
}

/** The overdue and flagged badges of an action, when they apply. */
export function ActionFlags({ action, size = 'sm' }: { action: ServiceAction; size?: 'xs' | 'sm' }) {
  const { t } = useI18n();
  return (
    <>
      {action.overdue ? (
        <Badge color="red" size={size} variant="filled" data-testid="overdue-badge">
          {t('svc.overdue')}
        </Badge>
      ) : null}
      {action.flagged ? (
        <Badge
          color="orange"
          size={size}
          variant="filled"
          title={action.flagReason ?? undefined}
          data-testid="flag-badge"
        >
          {t('svc.flagged')}
        </Badge>
      ) : null}
    </>
  );
}

/**
 * A customer's name from the id an action carries (the action list has no names): one cached profile request
 * per customer, shared with the customer page.
 */
export function CustomerName({ id }: { id: number }) {
  const q = useQuery({
    queryKey: ['customers', 'profile', String(id)],
    queryFn: ({ signal }) => api.customers.profile(String(id), signal),
    staleTime: 5 * 60_000,
  });
  return <>{q.data?.name ?? `#${id}`}</>;
}

/** A label and its value, for the detail grids. */
export function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children === null || children === undefined || children === '' ? '—' : children}
      </Text>
    </div>
  );
}

const WARRANTY_COLOR: Record<string, string> = { in_warranty: 'green', out_of_warranty: 'orange', unknown: 'gray' };

export function WarrantyBadge({ warranty }: { warranty: ServiceAction['warranty'] }) {
  const { tr, t } = useI18n();
  const fmt = useFormat();
  return (
    <Group gap={6} wrap="wrap">
      <Badge color={WARRANTY_COLOR[warranty.status] ?? 'gray'} variant="light" data-testid="warranty-badge">
        {tr('svc.warranty', warranty.status)}
      </Badge>
      {warranty.until ? (
        <Text size="xs" c="dimmed">
          {t('svc.warrantyUntil', { date: fmt.date(warranty.until) })}
        </Text>
      ) : null}
    </Group>
  );
}
