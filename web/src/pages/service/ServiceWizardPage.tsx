import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Stepper,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { CustomerProfile, PickupAddress, ServiceAction, ServiceType } from '../../api/types';
import { SEGMENT_COLORS } from '../../components/Kpi';
import { EmptyState, ErrorState, Ltr, TableSkeleton } from '../../components/States';
import { useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { uuid } from '../../lib/uuid';
import { SERVICE_TYPES } from './badges';
import { ServiceErrorAlert } from './service-errors';
import {
  cleanAddress,
  compactPhone,
  EMPTY_ADDRESS,
  laterOf,
  mainOrderCandidates,
  WizardResult,
  stepProblem,
} from './wizard-parts';
import { AddressFields, MainOrderChoice, WizardSummary } from './wizard-steps';

/** The new-action wizard: phone → customer → main order (or an address) → type and reason → confirm. */
export default function ServiceWizardPage() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  // One key per wizard session: a double click, or a retry after a lost answer, creates one action.
  const [idempotencyKey, setIdempotencyKey] = useState(uuid);
  const [step, setStep] = useState(0);

  const [phone, setPhone] = useState(params.get('phone') ?? '');
  const [customer, setCustomer] = useState<CustomerProfile | null>(null);
  const [isNew, setIsNew] = useState(false);
  const [newName, setNewName] = useState('');
  const [stepError, setStepError] = useState<string | null>(null);

  const [mainChoice, setMainChoice] = useState<string | null>(null);
  const [address, setAddress] = useState<PickupAddress>(EMPTY_ADDRESS);

  const [type, setType] = useState<ServiceType | null>(null);
  const [reason, setReason] = useState('');
  const [productName, setProductName] = useState('');
  const [productSku, setProductSku] = useState('');
  const [notes, setNotes] = useState('');
  const [result, setResult] = useState<ServiceAction | null>(null);
  const phoneRef = useRef<HTMLInputElement>(null);

  const lookup = useMutation({
    mutationFn: (value: string) => api.customers.profile(value),
    onSuccess: (c) => {
      setCustomer(c);
      setIsNew(false);
      setMainChoice(null);
      setProductName('');
      setAddress({
        city: c.city ?? '',
        zone: c.zone ?? undefined,
        district: c.district ?? undefined,
        firstLine: c.address ?? '',
      });
    },
    onError: (e) => {
      setCustomer(null);
      setIsNew(isApiError(e) && e.status === 404);
    },
  });

  // Opened from a customer page with ?phone=: look the customer up at once.
  const looked = useRef(false);
  useEffect(() => {
    const p = params.get('phone');
    if (p && !looked.current) {
      looked.current = true;
      lookup.mutate(compactPhone(p));
    }
  }, [params, lookup]);

  const orders = useQuery({
    queryKey: ['customers', 'orders', customer?.id, 'wizard'],
    queryFn: ({ signal }) => api.customers.orders(customer!.id, { limit: 50 }, signal),
    enabled: Boolean(customer),
    select: (page) => mainOrderCandidates(page.items),
  });

  // The first real sale is the likely main order: chosen by default, the agent can change it.
  useEffect(() => {
    if (mainChoice !== null || !orders.data) return;
    const sale = orders.data.find((o) => o.category === 'real_sale');
    setMainChoice(sale ? String(sale.id) : orders.data.length ? null : 'none');
  }, [orders.data, mainChoice]);

  const mainOrder = useMemo(
    () => orders.data?.find((o) => String(o.id) === mainChoice) ?? null,
    [orders.data, mainChoice],
  );
  const needsAddress = mainChoice === 'none' || isNew;

  useEffect(() => {
    if (mainOrder?.packageDescription && !productName) setProductName(mainOrder.packageDescription.slice(0, 300));
  }, [mainOrder, productName]);

  const showResult = (a: ServiceAction) => {
    setResult((prev) => laterOf(prev, a));
    void queryClient.invalidateQueries({ queryKey: ['service'] });
  };

  const create = useMutation({
    mutationFn: () =>
      api.service.create(
        {
          customerPhone: customer?.phone ?? compactPhone(phone),
          ...(isNew && newName.trim() ? { customerName: newName.trim() } : {}),
          type: type!,
          reason: reason.trim(),
          ...(mainOrder ? { mainOrderId: mainOrder.id } : {}),
          ...(productName.trim() || productSku.trim()
            ? {
                product: {
                  ...(productName.trim() ? { name: productName.trim().slice(0, 300) } : {}),
                  ...(productSku.trim() ? { sku: productSku.trim() } : {}),
                },
              }
            : {}),
          ...(notes.trim() ? { notes: notes.trim() } : {}),
          ...(needsAddress ? { pickupAddress: cleanAddress(address) } : {}),
        },
        idempotencyKey,
      ),
    onSuccess: showResult,
  });

  const retry = useMutation({
    mutationFn: (id: number) => api.service.retryPickup(id),
    onSuccess: showResult,
  });

  const restart = () => {
    setIdempotencyKey(uuid());
    setStep(0);
    setPhone('');
    setCustomer(null);
    setIsNew(false);
    setNewName('');
    setMainChoice(null);
    setAddress(EMPTY_ADDRESS);
    setType(null);
    setReason('');
    setProductName('');
    setProductSku('');
    setNotes('');
    setResult(null);
    create.reset();
    retry.reset();
    lookup.reset();
    setTimeout(() => phoneRef.current?.focus(), 0);
  };

  const findCustomer = (e: FormEvent) => {
    e.preventDefault();
    setStepError(null);
    const value = compactPhone(phone);
    if (value.length < 6) {
      setStepError(t('wiz.phoneInvalid'));
      return;
    }
    lookup.mutate(value);
  };

  const next = () => {
    const problem = stepProblem(step, { customer, isNew, newName, mainChoice, needsAddress, address, type, reason });
    setStepError(problem ? t(problem) : null);
    if (!problem) setStep((s) => Math.min(3, s + 1));
  };

  const back = () => {
    setStepError(null);
    setStep((s) => Math.max(0, s - 1));
  };

  const done = result !== null;

  return (
    <Stack gap="md" maw={960}>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('wiz.title')}</Title>
        <Anchor component={Link} to="/service" size="sm">
          {t('svc.backToBoard')}
        </Anchor>
      </Group>

      <Stepper
        active={step}
        onStepClick={(i) => !done && i < step && setStep(i)}
        allowNextStepsSelect={false}
        size="sm"
        data-testid="wizard-stepper"
      >
        <Stepper.Step
          icon={fmt.number(1)}
          progressIcon={fmt.number(1)}
          label={t('wiz.step.customer')}
          description={customer?.name ?? (isNew ? newName : undefined)}
        >
          <Paper withBorder p="md" radius="md">
            <form onSubmit={findCustomer} data-testid="wizard-find">
              <Group align="flex-end" wrap="wrap">
                <TextInput
                  ref={phoneRef}
                  label={t('wiz.phone')}
                  description={t('wiz.phoneHint')}
                  value={phone}
                  onChange={(e) => {
                    setPhone(e.currentTarget.value);
                    setIsNew(false);
                  }}
                  inputMode="tel"
                  autoComplete="off"
                  data-autofocus
                  autoFocus
                  w={300}
                  data-testid="wizard-phone"
                />
                <Button type="submit" loading={lookup.isPending} data-testid="wizard-find-submit">
                  {t('wiz.find')}
                </Button>
              </Group>
            </form>
            {lookup.isError && !isNew ? (
              <ErrorState error={lookup.error} onRetry={() => lookup.mutate(compactPhone(phone))} />
            ) : null}
            {customer ? (
              <Paper mt="md" p="sm" bg="gray.0" radius="md" data-testid="wizard-customer">
                <Group gap="sm" wrap="wrap">
                  <Text fw={700}>{customer.name}</Text>
                  <Badge color={SEGMENT_COLORS[customer.segment] ?? 'gray'} variant="light">
                    {tr('segment', customer.segment)}
                  </Badge>
                  <Text size="sm">
                    <Ltr>{customer.phone}</Ltr>
                  </Text>
                  <Text size="sm" c="dimmed">
                    {t('svc.ordersCount', { count: fmt.number(customer.kpis.orders) })}
                    {customer.city ? ` · ${customer.city}` : ''}
                  </Text>
                </Group>
              </Paper>
            ) : null}
            {isNew ? (
              <Stack mt="md" gap="xs" data-testid="wizard-new-customer">
                <Alert color="blue" variant="light">
                  {t('wiz.noCustomer', { phone: compactPhone(phone) })}
                </Alert>
                <TextInput
                  label={t('wiz.newName')}
                  value={newName}
                  onChange={(e) => setNewName(e.currentTarget.value)}
                  required
                  maxLength={200}
                  w={300}
                />
              </Stack>
            ) : null}
          </Paper>
        </Stepper.Step>

        <Stepper.Step
          icon={fmt.number(2)}
          progressIcon={fmt.number(2)}
          label={t('wiz.step.order')}
          description={mainOrder ? (mainOrder.trackingNumber ?? undefined) : needsAddress ? t('wiz.noMain') : undefined}
        >
          <Paper withBorder p="md" radius="md">
            {customer ? (
              orders.isPending ? (
                <TableSkeleton rows={4} />
              ) : orders.isError ? (
                <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
              ) : (
                <MainOrderChoice orders={orders.data} value={mainChoice} onChange={setMainChoice} />
              )
            ) : (
              <Text size="sm" c="dimmed">
                {t('wiz.newCustomerNoOrders')}
              </Text>
            )}
            {needsAddress ? <AddressFields address={address} onChange={setAddress} /> : null}
          </Paper>
        </Stepper.Step>

        <Stepper.Step
          icon={fmt.number(3)}
          progressIcon={fmt.number(3)}
          label={t('wiz.step.type')}
          description={type ? tr('svc.type', type) : undefined}
        >
          <Paper withBorder p="md" radius="md">
            <Stack gap="sm">
              <Radio.Group
                label={t('wiz.type')}
                value={type}
                onChange={(v) => setType(v as ServiceType)}
                required
                data-testid="wizard-type"
              >
                <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
                  {SERVICE_TYPES.map((v) => (
                    <Radio
                      key={v}
                      value={v}
                      label={tr('svc.type', v)}
                      description={tr('wiz.typeHint', v)}
                      data-testid={`wizard-type-${v}`}
                    />
                  ))}
                </SimpleGrid>
              </Radio.Group>
              <Textarea
                label={t('wiz.reason')}
                description={t('wiz.reasonHint')}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                required
                minRows={2}
                autosize
                maxLength={2000}
                data-testid="wizard-reason"
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t('wiz.productName')}
                  value={productName}
                  onChange={(e) => setProductName(e.currentTarget.value)}
                  maxLength={300}
                />
                <TextInput
                  label={t('wiz.productSku')}
                  value={productSku}
                  onChange={(e) => setProductSku(e.currentTarget.value)}
                  maxLength={64}
                />
              </SimpleGrid>
              <Textarea
                label={t('wiz.notes')}
                value={notes}
                onChange={(e) => setNotes(e.currentTarget.value)}
                autosize
                minRows={1}
                maxLength={5000}
              />
            </Stack>
          </Paper>
        </Stepper.Step>

        <Stepper.Step icon={fmt.number(4)} progressIcon={fmt.number(4)} label={t('wiz.step.confirm')}>
          <Paper withBorder p="md" radius="md" data-testid="wizard-confirm">
            <Stack gap="sm">
              <WizardSummary
                customer={customer}
                newCustomer={{ name: newName, phone: compactPhone(phone) }}
                mainOrder={mainOrder}
                type={type}
                reason={reason}
                product={{ name: productName, sku: productSku }}
                address={needsAddress ? address : null}
              />

              {create.isError ? <ServiceErrorAlert error={create.error} /> : null}

              {!result ? (
                <Group>
                  <Button
                    onClick={() => create.mutate()}
                    loading={create.isPending}
                    data-testid="wizard-create"
                    size="md"
                  >
                    {t('wiz.create')}
                  </Button>
                  <Text size="xs" c="dimmed">
                    {t('wiz.createHint')}
                  </Text>
                </Group>
              ) : (
                <WizardResult
                  action={result}
                  retrying={retry.isPending}
                  retryError={retry.isError ? retry.error : null}
                  onRetry={() => retry.mutate(result.id)}
                  onRestart={restart}
                />
              )}
            </Stack>
          </Paper>
        </Stepper.Step>
      </Stepper>

      {stepError ? (
        <Alert color="orange" variant="light" role="alert" data-testid="wizard-step-error">
          {stepError}
        </Alert>
      ) : null}

      {!done ? (
        <Group justify="space-between">
          <Button variant="default" onClick={back} disabled={step === 0}>
            {t('wiz.back')}
          </Button>
          {step < 3 ? (
            <Button onClick={next} data-testid="wizard-next">
              {t('wiz.next')}
            </Button>
          ) : null}
        </Group>
      ) : null}

      {!customer && !isNew && step === 0 && !lookup.isPending && !lookup.isError ? (
        <EmptyState message={t('wiz.startHint')} />
      ) : null}
    </Stack>
  );
}
