// Steps of the new-service-action wizard that are plain forms and read-outs.
import { Radio, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import type { ChangeEvent } from 'react';
import type { CustomerProfile, Order, PickupAddress, ServiceType } from '../../api/types';
import { Ltr } from '../../components/States';
import { useI18n } from '../../i18n';
import { OrderOption, Summary } from './wizard-parts';

/** The pickup address of a customer without a main order (city and first line are required). */
export function AddressFields({ address, onChange }: { address: PickupAddress; onChange: (a: PickupAddress) => void }) {
  const { t } = useI18n();
  const set = (key: keyof PickupAddress) => (e: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...address, [key]: e.currentTarget.value });
  return (
    <Stack mt="md" gap="xs" data-testid="wizard-address">
      <Title order={3} size="h6">
        {t('wiz.address')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
        <TextInput label={t('wiz.city')} value={address.city} onChange={set('city')} required />
        <TextInput label={t('wiz.zone')} value={address.zone ?? ''} onChange={set('zone')} />
        <TextInput label={t('wiz.district')} value={address.district ?? ''} onChange={set('district')} />
        <TextInput label={t('wiz.firstLine')} value={address.firstLine} onChange={set('firstLine')} required />
        <TextInput label={t('wiz.secondLine')} value={address.secondLine ?? ''} onChange={set('secondLine')} />
        <TextInput label={t('wiz.building')} value={address.buildingNumber ?? ''} onChange={set('buildingNumber')} />
        <TextInput label={t('wiz.floor')} value={address.floor ?? ''} onChange={set('floor')} />
        <TextInput label={t('wiz.apartment')} value={address.apartment ?? ''} onChange={set('apartment')} />
      </SimpleGrid>
    </Stack>
  );
}

/** What the agent is about to create, read back before confirming. */
export function WizardSummary({
  customer,
  newCustomer,
  mainOrder,
  type,
  reason,
  product,
  address,
}: {
  customer: CustomerProfile | null;
  newCustomer: { name: string; phone: string };
  mainOrder: Order | null;
  type: ServiceType | null;
  reason: string;
  product: { name: string; sku: string };
  address: PickupAddress | null;
}) {
  const { t, tr } = useI18n();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <Summary label={t('svc.customer')}>
        {customer ? (
          <>
            {customer.name} · <Ltr>{customer.phone}</Ltr>
          </>
        ) : (
          <>
            {newCustomer.name} · <Ltr>{newCustomer.phone}</Ltr> ({t('wiz.newCustomer')})
          </>
        )}
      </Summary>
      <Summary label={t('wiz.mainOrder')}>
        {mainOrder ? <Ltr>{mainOrder.trackingNumber ?? `#${mainOrder.id}`}</Ltr> : t('wiz.noMain')}
      </Summary>
      <Summary label={t('wiz.type')}>{type ? tr('svc.type', type) : '—'}</Summary>
      <Summary label={t('wiz.reason')}>{reason}</Summary>
      {product.name || product.sku ? (
        <Summary label={t('svc.product')}>
          {product.name} {product.sku ? <Ltr>({product.sku})</Ltr> : null}
        </Summary>
      ) : null}
      {address ? (
        <Summary label={t('wiz.address')}>
          {[address.firstLine, address.district, address.zone, address.city].filter(Boolean).join(', ')}
        </Summary>
      ) : null}
    </SimpleGrid>
  );
}

/** The customer's orders to choose the main order from, or none. */
export function MainOrderChoice({
  orders,
  value,
  onChange,
}: {
  orders: Order[];
  value: string | null;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <Radio.Group
      label={t('wiz.mainOrder')}
      description={t('wiz.mainOrderHint')}
      value={value}
      onChange={onChange}
      data-testid="wizard-orders"
    >
      <Stack gap="xs" mt="xs">
        {orders.map((o) => (
          <Radio
            key={o.id}
            value={String(o.id)}
            label={<OrderOption order={o} />}
            data-testid="wizard-order"
            data-order-id={o.id}
          />
        ))}
        <Radio value="none" label={t('wiz.noMain')} data-testid="wizard-order-none" />
      </Stack>
    </Radio.Group>
  );
}
