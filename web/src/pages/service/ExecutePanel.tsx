// What a technician does with an action: repair, replace a part, replace the product, or refund.
import {
  Alert,
  Anchor,
  Button,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { ServiceAction, ServiceActionDetail } from '../../api/types';
import { useSession } from '../../auth/session';
import { Ltr } from '../../components/States';
import { useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { ActionFlags, Field, StatusBadge, TypeBadge, WarrantyBadge } from './badges';
import { InspectionView } from './context-views';
import { ServiceErrorAlert } from './service-errors';

import { newRow, type PartRow, PartsEditor, partsOf } from './PartsEditor';

export type Form = 'maintenance' | 'replace_part' | 'replace_full' | 'refund';
const FORM_FOR_TYPE: Record<string, Form> = {
  maintenance: 'maintenance',
  replace_part: 'replace_part',
  replace_full: 'replace_full',
  return_refund: 'refund',
};

/** The execution forms an action allows (repair, replace a part, replace the product, refund), and the result. */
export function ExecutePanel({ action, initialForm }: { action: ServiceActionDetail; initialForm: Form | null }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const canExecute = action.allowedEvents.includes('start_execution');
  const canRefund = action.allowedEvents.includes('refund');
  const canShip = action.allowedEvents.includes('ship_outbound');
  const forms: Form[] = [
    ...(canExecute ? (['maintenance', 'replace_part', 'replace_full'] as const) : []),
    ...(canRefund ? (['refund'] as const) : []),
  ];
  const preferred =
    initialForm ??
    (action.context.inspection?.recommendedAction === 'refund'
      ? 'refund'
      : (action.context.inspection?.recommendedAction as Form | undefined)) ??
    FORM_FOR_TYPE[action.type];
  const [tab, setTab] = useState<string | null>(forms.includes(preferred) ? preferred : (forms[0] ?? null));
  const [technician, setTechnician] = useState(me?.user?.name ?? '');
  const [notes, setNotes] = useState('');
  const [rows, setRows] = useState<PartRow[]>(() => [newRow()]);
  const [sku, setSku] = useState('');
  const [unitCost, setUnitCost] = useState<number | string>('');
  const mainOrder = action.context.family?.orders.find((o) => o.id === action.mainOrderId);
  const [amount, setAmount] = useState<number | string>(mainOrder?.cod ?? '');
  const [refundReason, setRefundReason] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [done, setDone] = useState<ServiceAction | null>(null);

  const after = (a: ServiceAction) => {
    setDone(a);
    void queryClient.invalidateQueries({ queryKey: ['service'] });
  };
  const execute = useMutation({
    mutationFn: (form: Form): Promise<ServiceAction> => {
      const tech = technician.trim();
      const note = notes.trim() || undefined;
      switch (form) {
        case 'maintenance':
          return api.service.maintenance(action.id, { technician: tech, notes: note, parts: partsOf(rows) });
        case 'replace_part':
          return api.service.replacePart(action.id, { technician: tech, notes: note, parts: partsOf(rows) });
        case 'replace_full':
          return api.service.replaceFull(action.id, {
            sku: sku.trim(),
            ...(typeof unitCost === 'number' ? { unitCost } : {}),
            ...(tech ? { technician: tech } : {}),
            notes: note,
          });
        case 'refund':
          return api.service.refund(action.id, {
            amount: Number(amount),
            ...(refundReason.trim() ? { reason: refundReason.trim() } : {}),
          });
      }
    },
    onSuccess: after,
  });
  const retryOutbound = useMutation({ mutationFn: () => api.service.retryOutbound(action.id), onSuccess: after });

  const submit = (form: Form) => (e: FormEvent) => {
    e.preventDefault();
    setInvalid(null);
    if ((form === 'maintenance' || form === 'replace_part') && !technician.trim())
      return setInvalid(t('tech.technicianRequired'));
    if (form === 'replace_part' && partsOf(rows).length === 0) return setInvalid(t('tech.partsRequired'));
    if (form === 'replace_full' && !sku.trim()) return setInvalid(t('tech.skuRequired'));
    if (form === 'refund' && !(typeof amount === 'number' && amount > 0)) return setInvalid(t('tech.amountRequired'));
    if (form === 'refund' && refundReason.trim() && refundReason.trim().length < 3)
      return setInvalid(t('tech.reasonShort'));
    execute.mutate(form);
  };

  const technicianField = (required: boolean) => (
    <TextInput
      label={t('tech.technician')}
      value={technician}
      onChange={(e) => setTechnician(e.currentTarget.value)}
      required={required}
      maxLength={200}
      data-testid="tech-name"
    />
  );
  const notesField = (
    <Textarea
      label={t('tech.notes')}
      value={notes}
      onChange={(e) => setNotes(e.currentTarget.value)}
      autosize
      minRows={2}
      maxLength={5000}
      data-testid="tech-notes"
    />
  );
  const submitButton = (form: Form) => (
    <Group>
      <Button type="submit" loading={execute.isPending} data-testid={`tech-submit-${form}`}>
        {t(form === 'refund' ? 'tech.recordRefund' : 'tech.executeAndShip')}
      </Button>
    </Group>
  );

  const inspection = action.context.inspection;
  return (
    <Stack gap="md" data-testid="tech-panel" data-action-id={action.id}>
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Group gap="xs" wrap="wrap">
            <Anchor component={Link} to={`/service/${action.id}`} fw={700} size="lg">
              <Ltr>{action.number}</Ltr>
            </Anchor>
            <StatusBadge status={done?.status ?? action.status} />
            <TypeBadge type={action.type} />
            <ActionFlags action={action} />
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Field label={t('svc.customer')}>
              {action.context.customer?.name}{' '}
              {action.context.customer ? <Ltr>{action.context.customer.phone}</Ltr> : null}
            </Field>
            <Field label={t('svc.reason')}>{action.reason}</Field>
            <Field label={t('svc.product')}>
              {[action.product.name, action.product.sku].filter(Boolean).join(' · ')}
            </Field>
            <Field label={t('svc.warranty')}>
              <WarrantyBadge warranty={action.warranty} />
            </Field>
            <Field label={t('tech.paid')}>{mainOrder ? fmt.money(mainOrder.cod) : null}</Field>
            <Field label={t('svc.field.estimatedCost')}>{fmt.money(action.estimatedCost)}</Field>
          </SimpleGrid>
        </Stack>
      </Paper>

      {inspection?.inspectedAt ? (
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb="sm">
            {t('svc.inspection')}
          </Title>
          <InspectionView inspection={inspection} />
        </Paper>
      ) : null}

      {done ? (
        <Alert
          color="green"
          variant="light"
          role="status"
          title={t(done.execution === 'refund' ? 'tech.refundDone' : 'tech.shippedTitle')}
          data-testid="tech-done"
        >
          <Stack gap={4}>
            {done.outboundTrackingNumber ? (
              <Text size="sm">
                {t('tech.shippedText')}{' '}
                <Text span fw={700} data-testid="tech-outbound-tracking">
                  <Ltr>{done.outboundTrackingNumber}</Ltr>
                </Text>
              </Text>
            ) : null}
            {done.courierError ? (
              <Text size="sm" c="red">
                {t('tech.outboundFailed', { error: done.courierError })}
              </Text>
            ) : null}
            <Text size="sm">
              {t('tech.resultStatus', { status: tr('svc.status', done.status) })}
              {done.customerPays !== null
                ? ` · ${t('tech.customerPays', { amount: fmt.money(done.customerPays) })}`
                : ''}
            </Text>
            <Anchor component={Link} to={`/service/${action.id}`} size="sm">
              {t('wiz.openAction')}
            </Anchor>
          </Stack>
        </Alert>
      ) : null}

      {!done && canShip ? (
        <Paper withBorder p="md" radius="md">
          <Stack gap="xs">
            {action.courierError ? (
              <Alert color="red" variant="light" title={t('svc.courierError')}>
                {action.courierError}
              </Alert>
            ) : null}
            <Group>
              <Button
                loading={retryOutbound.isPending}
                onClick={() => retryOutbound.mutate()}
                data-testid="event-ship_outbound"
              >
                {t('svc.event.ship_outbound')}
              </Button>
            </Group>
            {retryOutbound.isError ? <ServiceErrorAlert error={retryOutbound.error} /> : null}
          </Stack>
        </Paper>
      ) : null}

      {!done && forms.length > 0 ? (
        <Paper withBorder p="md" radius="md">
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List>
              {forms.map((f) => (
                <Tabs.Tab key={f} value={f} data-testid={`tech-tab-${f}`}>
                  {t(`tech.form.${f}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="maintenance" pt="md">
              <form onSubmit={submit('maintenance')}>
                <Stack gap="sm">
                  {technicianField(true)}
                  <PartsEditor rows={rows} onChange={setRows} />
                  {notesField}
                  {submitButton('maintenance')}
                </Stack>
              </form>
            </Tabs.Panel>
            <Tabs.Panel value="replace_part" pt="md">
              <form onSubmit={submit('replace_part')}>
                <Stack gap="sm">
                  {technicianField(true)}
                  <PartsEditor rows={rows} onChange={setRows} />
                  {notesField}
                  {submitButton('replace_part')}
                </Stack>
              </form>
            </Tabs.Panel>
            <Tabs.Panel value="replace_full" pt="md">
              <form onSubmit={submit('replace_full')}>
                <Stack gap="sm">
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                    <TextInput
                      label={t('tech.replacementSku')}
                      value={sku}
                      onChange={(e) => setSku(e.currentTarget.value)}
                      required
                      maxLength={64}
                      data-testid="tech-sku"
                    />
                    <NumberInput
                      label={t('tech.unitCost')}
                      value={unitCost}
                      onChange={setUnitCost}
                      min={0}
                      max={1_000_000}
                      decimalScale={2}
                      data-testid="tech-unit-cost"
                    />
                  </SimpleGrid>
                  {technicianField(false)}
                  {notesField}
                  {submitButton('replace_full')}
                </Stack>
              </form>
            </Tabs.Panel>
            <Tabs.Panel value="refund" pt="md">
              <form onSubmit={submit('refund')}>
                <Stack gap="sm">
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                    <NumberInput
                      label={t('tech.amount')}
                      description={mainOrder ? t('tech.amountHint', { paid: fmt.money(mainOrder.cod) }) : undefined}
                      value={amount}
                      onChange={setAmount}
                      min={0}
                      max={10_000_000}
                      decimalScale={2}
                      required
                      data-testid="tech-amount"
                    />
                    <TextInput
                      label={t('tech.refundReason')}
                      description={t('tech.refundReasonHint')}
                      value={refundReason}
                      onChange={(e) => setRefundReason(e.currentTarget.value)}
                      maxLength={1000}
                      data-testid="tech-refund-reason"
                    />
                  </SimpleGrid>
                  {submitButton('refund')}
                </Stack>
              </form>
            </Tabs.Panel>
          </Tabs>
          {invalid ? (
            <Alert mt="sm" color="orange" variant="light" role="alert">
              {invalid}
            </Alert>
          ) : null}
          {execute.isError ? (
            <Stack mt="sm" gap="xs">
              <ServiceErrorAlert error={execute.error} />
              {isApiError(execute.error) && execute.error.code === 'review_required' ? (
                <Anchor component={Link} to="/reviews" size="sm">
                  {t('tech.toReviews')}
                </Anchor>
              ) : null}
            </Stack>
          ) : null}
        </Paper>
      ) : null}

      {!done && forms.length === 0 && !canShip ? (
        <Alert
          color={action.status === 'review_pending' ? 'yellow' : 'gray'}
          variant="light"
          data-testid="tech-nothing"
        >
          {action.status === 'review_pending'
            ? t('tech.waitingReview')
            : t('tech.nothing', { status: tr('svc.status', action.status) })}
        </Alert>
      ) : null}
    </Stack>
  );
}
