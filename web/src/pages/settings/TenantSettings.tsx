import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api } from '../../api/endpoints';
import type { Tenant, TenantSettings } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorState, TableSkeleton } from '../../components/States';
import { type MessageKey, useI18n } from '../../i18n';

const CURRENCIES = ['EGP', 'SAR', 'AED', 'KWD', 'QAR', 'OMR', 'BHD', 'JOD', 'MAD', 'USD', 'EUR', 'RUB'];

interface Form {
  name: string;
  currency: string;
  timeZone: string;
  settings: TenantSettings;
}

function formOf(t: Tenant): Form {
  return {
    name: t.name,
    currency: t.currency,
    timeZone: t.timeZone,
    settings: t.settings as unknown as TenantSettings,
  };
}

/** Workspace settings: name, currency, time zone, classification and segment thresholds, SLA targets. */
export function TenantSettingsForm() {
  const { t, tr } = useI18n();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const editable = can('tenant:write');
  const q = useQuery({ queryKey: ['tenant'], queryFn: ({ signal }) => api.tenant.get(signal) });
  const [form, setForm] = useState<Form | null>(null);
  useEffect(() => {
    if (q.data) setForm(formOf(q.data));
  }, [q.data]);
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf('timeZone');
    } catch {
      return ['UTC', 'Africa/Cairo', 'Asia/Riyadh', 'Asia/Dubai', 'Europe/Moscow'];
    }
  }, []);
  const save = useMutation({
    mutationFn: (f: Form) => {
      const s = f.settings;
      return api.tenant.change({
        name: f.name,
        currency: f.currency,
        timeZone: f.timeZone,
        settings: {
          classification: s.classification,
          hierarchy: s.hierarchy,
          segments: s.segments,
          sync: s.sync,
          service: { refundReviewThreshold: s.service.refundReviewThreshold, slaHours: s.service.slaHours },
        },
      });
    },
    onSuccess: (tenant) => {
      queryClient.setQueryData(['tenant'], tenant);
      // Currency and time zone change how every figure is written.
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  });

  if (q.isPending || !form)
    return q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : <TableSkeleton rows={8} />;
  const s = form.settings;
  const setSettings = (patch: (s: TenantSettings) => TenantSettings) =>
    setForm({ ...form, settings: patch(structuredClone(s)) });
  const num = (label: MessageKey, value: number, apply: (s: TenantSettings, v: number) => void, step = 1) => (
    <NumberInput
      label={t(label)}
      value={value}
      min={0}
      step={step}
      decimalScale={step < 1 ? 2 : undefined}
      readOnly={!editable}
      onChange={(v) =>
        setSettings((x) => {
          apply(x, typeof v === 'number' ? v : Number(v) || 0);
          return x;
        })
      }
    />
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        {!editable ? <Alert variant="light">{t('tenant.readOnly')}</Alert> : null}
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb="sm">
            {t('tenant.general')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('tenant.name')}
              value={form.name}
              readOnly={!editable}
              required
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <Select
              label={t('tenant.currency')}
              data={[...new Set([form.currency, ...CURRENCIES])]}
              value={form.currency}
              readOnly={!editable}
              allowDeselect={false}
              onChange={(v) => v && setForm({ ...form, currency: v })}
              data-testid="tenant-currency"
            />
            <Select
              label={t('tenant.timeZone')}
              data={zones.includes(form.timeZone) ? zones : [form.timeZone, ...zones]}
              value={form.timeZone}
              readOnly={!editable}
              searchable
              allowDeselect={false}
              onChange={(v) => v && setForm({ ...form, timeZone: v })}
              limit={50}
            />
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb="sm">
            {t('tenant.thresholds')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {num('tenant.mainOrderCodThreshold', s.classification.mainOrderCodThreshold, (x, v) => {
              x.classification.mainOrderCodThreshold = v;
            })}
            {num('tenant.linkWindowDays', s.hierarchy.linkWindowDays, (x, v) => {
              x.hierarchy.linkWindowDays = v;
            })}
            {num('tenant.vipMinOrders', s.segments.vipMinOrders, (x, v) => {
              x.segments.vipMinOrders = v;
            })}
            {num('tenant.vipMinLifetimeValue', s.segments.vipMinLifetimeValue, (x, v) => {
              x.segments.vipMinLifetimeValue = v;
            })}
            {num('tenant.regularMinOrders', s.segments.regularMinOrders, (x, v) => {
              x.segments.regularMinOrders = v;
            })}
            {num(
              'tenant.problematicMinReturnRate',
              s.segments.problematicMinReturnRate,
              (x, v) => {
                x.segments.problematicMinReturnRate = v;
              },
              0.05,
            )}
            {num('tenant.refundReviewThreshold', s.service.refundReviewThreshold, (x, v) => {
              x.service.refundReviewThreshold = v;
            })}
            {num('tenant.syncInterval', s.sync.bostaIntervalMinutes, (x, v) => {
              x.sync.bostaIntervalMinutes = v;
            })}
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb="sm">
            {t('tenant.sla')}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
            {Object.entries(s.service.slaHours).map(([stage, hours]) => (
              <NumberInput
                key={stage}
                label={tr('sla', stage)}
                value={hours}
                min={0}
                readOnly={!editable}
                onChange={(v) =>
                  setSettings((x) => {
                    x.service.slaHours[stage] = typeof v === 'number' ? v : Number(v) || 0;
                    return x;
                  })
                }
              />
            ))}
          </SimpleGrid>
        </Paper>
        {save.isError ? <ErrorState error={save.error} /> : null}
        {editable ? (
          <Group>
            <Button type="submit" loading={save.isPending} data-testid="tenant-save">
              {t('common.save')}
            </Button>
            {save.isSuccess ? (
              <Text size="sm" c="teal">
                {t('common.saved')}
              </Text>
            ) : null}
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}
