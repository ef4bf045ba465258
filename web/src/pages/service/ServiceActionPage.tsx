import { Alert, Anchor, Button, Group, Modal, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { ReviewDecision, ServiceActionDetail, ServiceEvent } from '../../api/types';
import { CardsSkeleton, EmptyState, ErrorState, Ltr, TableSkeleton } from '../../components/States';
import { type MessageKey, useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { ContextCard, CourierTimeline, EventsTrail, InspectionView, PartsTable } from './context-views';
import { Field } from './badges';
import { ServiceErrorAlert } from './service-errors';

const DECISION: Partial<Record<ServiceEvent, ReviewDecision>> = {
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'requires_changes',
};

const BUTTON_COLOR: Partial<Record<ServiceEvent, string>> = {
  cancel: 'red',
  reject: 'red',
  approve: 'green',
  request_changes: 'yellow',
  close: 'dark',
};

/**
 * The buttons of an action: exactly the events the server allows this caller (`allowedEvents`), each mapped to
 * its endpoint or form. Events with no endpoint of their own (an automatic move such as `request_review`) show
 * no button.
 */
function ActionButtons({ action }: { action: ServiceActionDetail }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [cancelOpen, setCancelOpen] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [review, setReview] = useState<ReviewDecision | null>(null);
  const [reviewNotes, setReviewNotes] = useState('');

  const done = () => {
    void queryClient.invalidateQueries({ queryKey: ['service'] });
    void queryClient.invalidateQueries({ queryKey: ['reviews'] });
  };
  const run = useMutation({
    mutationFn: (event: 'retry_pickup' | 'ship_outbound' | 'close') =>
      event === 'retry_pickup'
        ? api.service.retryPickup(action.id)
        : event === 'ship_outbound'
          ? api.service.retryOutbound(action.id)
          : api.service.close(action.id),
    onSuccess: done,
  });
  const cancel = useMutation({
    mutationFn: () => api.service.cancel(action.id, cancelReason.trim()),
    onSuccess: () => {
      setCancelOpen(false);
      setCancelReason('');
      done();
    },
  });
  const decide = useMutation({
    mutationFn: () => api.reviews.decide(action.id, { decision: review!, notes: reviewNotes.trim() || undefined }),
    onSuccess: () => {
      setReview(null);
      setReviewNotes('');
      done();
    },
  });

  const label = (e: ServiceEvent) => t(`svc.event.${e}` as MessageKey);
  const buttons = action.allowedEvents.flatMap((event) => {
    const common = {
      size: 'sm' as const,
      color: BUTTON_COLOR[event],
      variant: event === 'cancel' ? 'light' : 'filled',
      'data-testid': `event-${event}`,
    };
    switch (event) {
      case 'cancel':
        return [
          <Button key={event} {...common} onClick={() => setCancelOpen(true)}>
            {label(event)}
          </Button>,
        ];
      case 'retry_pickup':
      case 'ship_outbound':
      case 'close':
        return [
          <Button
            key={event}
            {...common}
            loading={run.isPending && run.variables === event}
            onClick={() => run.mutate(event)}
          >
            {label(event)}
          </Button>,
        ];
      case 'receive':
        return [
          <Button
            key={event}
            {...common}
            component={Link}
            to={`/hub${action.returnTrackingNumber ? `?tracking=${encodeURIComponent(action.returnTrackingNumber)}` : ''}`}
          >
            {label(event)}
          </Button>,
        ];
      case 'inspect':
        return [
          <Button key={event} {...common} component={Link} to={`/hub/${action.id}`}>
            {label(event)}
          </Button>,
        ];
      case 'approve':
      case 'reject':
      case 'request_changes':
        return [
          <Button key={event} {...common} onClick={() => setReview(DECISION[event]!)}>
            {label(event)}
          </Button>,
        ];
      case 'start_execution':
        return [
          <Button key={event} {...common} component={Link} to={`/technician/${action.id}`}>
            {label(event)}
          </Button>,
        ];
      case 'refund':
        return [
          <Button key={event} {...common} component={Link} to={`/technician/${action.id}?form=refund`}>
            {label(event)}
          </Button>,
        ];
      default:
        return [];
    }
  });

  return (
    <Stack gap="xs">
      {buttons.length ? (
        <Group gap="xs" wrap="wrap" data-testid="action-buttons" aria-label={t('common.actions')} role="group">
          {buttons}
        </Group>
      ) : (
        <Text size="sm" c="dimmed" data-testid="action-buttons-none">
          {t('svc.noButtons')}
        </Text>
      )}
      {run.isError ? <ServiceErrorAlert error={run.error} /> : null}

      <Modal opened={cancelOpen} onClose={() => setCancelOpen(false)} title={t('svc.cancelTitle')} centered>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (cancelReason.trim().length >= 3) cancel.mutate();
          }}
        >
          <Stack>
            <Textarea
              label={t('svc.cancelReason')}
              description={t('svc.cancelHint')}
              value={cancelReason}
              onChange={(e) => setCancelReason(e.currentTarget.value)}
              required
              minLength={3}
              maxLength={1000}
              autosize
              minRows={2}
              data-autofocus
              data-testid="cancel-reason"
            />
            {cancel.isError ? <ServiceErrorAlert error={cancel.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setCancelOpen(false)}>
                {t('common.close')}
              </Button>
              <Button
                type="submit"
                color="red"
                loading={cancel.isPending}
                disabled={cancelReason.trim().length < 3}
                data-testid="cancel-submit"
              >
                {t('svc.event.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>

      <Modal
        opened={review !== null}
        onClose={() => setReview(null)}
        title={review ? t(`rev.decision.${review}` as MessageKey) : ''}
        centered
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            decide.mutate();
          }}
        >
          <Stack>
            <Textarea
              label={t('rev.notes')}
              value={reviewNotes}
              onChange={(e) => setReviewNotes(e.currentTarget.value)}
              maxLength={2000}
              autosize
              minRows={2}
              data-autofocus
            />
            {decide.isError ? <ServiceErrorAlert error={decide.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setReview(null)}>
                {t('common.close')}
              </Button>
              <Button type="submit" loading={decide.isPending} data-testid="review-submit">
                {t('common.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}

function addressLine(a: Record<string, unknown>): string {
  const get = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : '');
  return [get('firstLine'), get('secondLine'), get('district'), get('zone'), get('city')].filter(Boolean).join(', ');
}

/** One service action: every field, the customer, the family, both courier timelines, inspection, audit, parts. */
export default function ServiceActionPage() {
  const { id = '' } = useParams();
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const q = useQuery({
    queryKey: ['service', 'action', Number(id)],
    queryFn: ({ signal }) => api.service.get(Number(id), signal),
    enabled: /^\d+$/.test(id),
    refetchInterval: 30_000,
  });

  if (!/^\d+$/.test(id)) return <EmptyState message={t('svc.notFound')} />;
  if (q.isPending)
    return (
      <Stack>
        <CardsSkeleton count={1} height={160} />
        <CardsSkeleton count={2} height={200} />
        <TableSkeleton rows={5} />
      </Stack>
    );
  if (q.isError)
    return (
      <Stack>
        <Anchor component={Link} to="/service">
          {t('svc.backToBoard')}
        </Anchor>
        {isApiError(q.error) && q.error.status === 404 ? (
          <EmptyState message={t('svc.notFound')} />
        ) : (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        )}
      </Stack>
    );

  const a = q.data;
  const c = a.context;
  return (
    <Stack gap="md" data-testid="service-detail" data-status={a.status}>
      <Group justify="space-between" wrap="wrap">
        <Anchor component={Link} to="/service" size="sm">
          {t('svc.backToBoard')}
        </Anchor>
        <Text size="xs" c="dimmed">
          {t('svc.updated', { at: fmt.dateTime(a.updatedAt) })}
        </Text>
      </Group>
      <Title order={2}>
        {t('svc.actionTitle')} <Ltr>{a.number}</Ltr>
      </Title>

      <ActionButtons action={a} />

      {a.courierError ? (
        <Alert color="red" variant="light" title={t('svc.courierError')} role="alert" data-testid="courier-error">
          {a.courierError}
        </Alert>
      ) : null}
      {a.flagged ? (
        <Alert color="orange" variant="light" title={t('svc.flagged')}>
          {a.flagReason ?? '—'}
        </Alert>
      ) : null}
      {a.cancelReason ? (
        <Alert color="gray" variant="light" title={t('svc.cancelled')}>
          {a.cancelReason}
        </Alert>
      ) : null}

      <ContextCard action={a} context={c} />

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md" data-testid="service-fields">
          <Title order={3} size="h5" mb="sm">
            {t('svc.details')}
          </Title>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <Field label={t('svc.field.type')}>{tr('svc.type', a.type)}</Field>
            <Field label={t('svc.field.subtype')}>{tr('svc.subtype', a.subtype)}</Field>
            <Field label={t('svc.field.status')} testId="field-status">
              {tr('svc.status', a.status)}
            </Field>
            <Field label={t('svc.field.statusSince')}>{fmt.dateTime(a.statusChangedAt)}</Field>
            <Field label={t('svc.reason')}>{a.reason}</Field>
            <Field label={t('svc.field.notes')}>{a.notes}</Field>
            <Field label={t('svc.product')}>{[a.product.name, a.product.sku].filter(Boolean).join(' · ')}</Field>
            <Field label={t('svc.field.pickupAddress')}>{addressLine(a.pickupAddress)}</Field>
            <Field label={t('svc.field.returnTracking')} testId="field-return-tracking">
              {a.returnTrackingNumber ? <Ltr>{a.returnTrackingNumber}</Ltr> : null}
            </Field>
            <Field label={t('svc.field.outboundTracking')} testId="field-outbound-tracking">
              {a.outboundTrackingNumber ? <Ltr>{a.outboundTrackingNumber}</Ltr> : null}
            </Field>
            <Field label={t('svc.field.assignee')}>{a.assigneeId ? `#${a.assigneeId}` : null}</Field>
            <Field label={t('svc.field.created')}>{fmt.dateTime(a.createdAt)}</Field>
            <Field label={t('svc.field.completed')}>{a.completedAt ? fmt.dateTime(a.completedAt) : null}</Field>
            <Field label={t('svc.field.closed')}>{a.closedAt ? fmt.dateTime(a.closedAt) : null}</Field>
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="md" radius="md" data-testid="service-money">
          <Title order={3} size="h5" mb="sm">
            {t('svc.execution')}
          </Title>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <Field label={t('svc.field.execution')}>{a.execution ? tr('svc.execKind', a.execution) : null}</Field>
            <Field label={t('svc.field.technician')}>{a.technician}</Field>
            <Field label={t('svc.field.replacementSku')}>
              {a.replacementSku ? <Ltr>{a.replacementSku}</Ltr> : null}
            </Field>
            <Field label={t('svc.field.estimatedCost')}>{fmt.money(a.estimatedCost)}</Field>
            <Field label={t('svc.field.actualCost')}>{a.actualCost === null ? null : fmt.money(a.actualCost)}</Field>
            <Field label={t('svc.field.customerPays')}>
              {a.customerPays === null ? null : fmt.money(a.customerPays)}
            </Field>
            <Field label={t('svc.field.refund')}>{a.refund === null ? null : fmt.money(a.refund)}</Field>
            <Field label={t('svc.field.refundReason')}>{a.refundReason}</Field>
          </SimpleGrid>
          <Title order={4} size="h6" mt="md" mb={4}>
            {t('svc.parts')}
          </Title>
          <PartsTable parts={c.parts} />
        </Paper>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <CourierTimeline
          title={t('svc.returnPickup')}
          shipment={c.returnPickup}
          testId="return-timeline"
          empty={t('svc.noReturn')}
        />
        <CourierTimeline
          title={t('svc.outbound')}
          shipment={c.outbound}
          testId="outbound-timeline"
          empty={t('svc.noOutbound')}
        />
      </SimpleGrid>

      <Paper withBorder p="md" radius="md">
        <Title order={3} size="h5" mb="sm">
          {t('svc.inspection')}
        </Title>
        {c.inspection ? (
          <InspectionView inspection={c.inspection} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('svc.noInspection')}
          </Text>
        )}
      </Paper>

      <Paper withBorder p="md" radius="md">
        <Title order={3} size="h5" mb="sm">
          {t('svc.audit')}
        </Title>
        <EventsTrail events={c.events} />
      </Paper>
    </Stack>
  );
}
