// Pieces of the new-service-action wizard: order choices, the summary rows, the result with its pickup.
import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CustomerProfile, Order, PickupAddress, ServiceAction, ServiceType } from '../../api/types';
import { CATEGORY_BADGE } from '../../components/FamilyTree';
import { Ltr } from '../../components/States';
import { type MessageKey, useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { StatusBadge, WarrantyBadge } from './badges';
import { ServiceErrorAlert } from './service-errors';

export const EMPTY_ADDRESS: PickupAddress = { city: '', firstLine: '' };

/**
 * Two answers about one action can arrive out of order: a double click's replay (the action as it stood while
 * the first submit was still asking the courier) may land after the first submit's own answer. Keep the later.
 */
export function laterOf(prev: ServiceAction | null, next: ServiceAction): ServiceAction {
  if (!prev || prev.id !== next.id) return next;
  if (next.updatedAt !== prev.updatedAt) return next.updatedAt > prev.updatedAt ? next : prev;
  return next.returnTrackingNumber || !prev.returnTrackingNumber ? next : prev;
}

/** Spaces, dashes, dots and brackets out: the server reads any phone format, the URL stays clean. */
export const compactPhone = (s: string) => s.trim().replace(/[\s\-().]/g, '');

/** Real sales first (the usual main order), then the newest. */
export function mainOrderCandidates(orders: Order[]): Order[] {
  return [...orders].sort(
    (a, b) =>
      Number(b.category === 'real_sale') - Number(a.category === 'real_sale') || b.createdAt.localeCompare(a.createdAt),
  );
}

export function OrderOption({ order }: { order: Order }) {
  const { tr } = useI18n();
  const fmt = useFormat();
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="wrap">
        <Text fw={600} size="sm">
          <Ltr>{order.trackingNumber ?? `#${order.id}`}</Ltr>
        </Text>
        <Badge size="xs" variant="light" color={CATEGORY_BADGE[order.category] ?? 'gray'}>
          {tr('category', order.category)}
        </Badge>
        <Text size="xs" c="dimmed">
          {order.stateName} · {fmt.date(order.deliveredAt ?? order.createdAt)} · {fmt.money(order.cod)}
        </Text>
      </Group>
      {order.packageDescription ? (
        <Text size="xs" c="dimmed" lineClamp={1}>
          {order.packageDescription}
        </Text>
      ) : null}
    </Stack>
  );
}

export function Summary({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/** Leaves out the empty optional lines: the API refuses empty strings where it expects none. */
export function cleanAddress(a: PickupAddress): PickupAddress {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  return out as unknown as PickupAddress;
}

export function WizardResult({
  action,
  retrying,
  retryError,
  onRetry,
  onRestart,
}: {
  action: ServiceAction;
  retrying: boolean;
  retryError: unknown;
  onRetry: () => void;
  onRestart: () => void;
}) {
  const { t } = useI18n();
  return (
    <Stack gap="sm" data-testid="wizard-result">
      <Group gap="xs" wrap="wrap">
        <Text fw={700} size="lg" data-testid="wizard-number">
          <Ltr>{action.number}</Ltr>
        </Text>
        <StatusBadge status={action.status} />
        <WarrantyBadge warranty={action.warranty} />
      </Group>
      {action.returnTrackingNumber ? (
        <Alert color="green" variant="light" title={t('wiz.pickupOrdered')} data-testid="wizard-pickup">
          {t('wiz.pickupTracking')}{' '}
          <Text span fw={700} data-testid="wizard-tracking">
            <Ltr>{action.returnTrackingNumber}</Ltr>
          </Text>
        </Alert>
      ) : action.courierError ? (
        <Alert
          color="red"
          variant="light"
          title={t('wiz.pickupFailed')}
          role="alert"
          data-testid="wizard-courier-error"
        >
          <Stack gap="xs">
            <Text size="sm">{action.courierError}</Text>
            <Group>
              <Button
                size="xs"
                color="red"
                variant="light"
                loading={retrying}
                onClick={onRetry}
                data-testid="wizard-retry"
              >
                {t('svc.event.retry_pickup')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : null}
      {retryError ? <ServiceErrorAlert error={retryError} /> : null}
      <Group>
        <Button component={Link} to={`/service/${action.id}`} variant="light" data-testid="wizard-open">
          {t('wiz.openAction')}
        </Button>
        <Button variant="default" onClick={onRestart}>
          {t('wiz.another')}
        </Button>
      </Group>
    </Stack>
  );
}

/** What stops the wizard from leaving a step (a message key), or null when the step is complete. */
export function stepProblem(
  step: number,
  s: {
    customer: CustomerProfile | null;
    isNew: boolean;
    newName: string;
    mainChoice: string | null;
    needsAddress: boolean;
    address: PickupAddress;
    type: ServiceType | null;
    reason: string;
  },
): MessageKey | null {
  if (step === 0 && !s.customer && !(s.isNew && s.newName.trim()))
    return s.isNew ? 'wiz.nameRequired' : 'wiz.findFirst';
  if (step === 1) {
    if (s.mainChoice === null && !s.isNew) return 'wiz.chooseMain';
    if (s.needsAddress && (s.address.city.trim().length < 2 || s.address.firstLine.trim().length < 3)) {
      return 'wiz.addressRequired';
    }
  }
  if (step === 2) {
    if (!s.type) return 'wiz.typeRequired';
    if (s.reason.trim().length < 3) return 'wiz.reasonRequired';
  }
  return null;
}
