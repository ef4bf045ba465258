// The parts a technician used: an editable list of SKU, quantity and unit cost.
import { ActionIcon, Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useI18n } from '../../i18n';

export interface PartRow {
  key: number;
  sku: string;
  qty: number | string;
  unitCost: number | string;
}

let rowKey = 0;
export const newRow = (): PartRow => ({ key: ++rowKey, sku: '', qty: 1, unitCost: '' });

export function partsOf(rows: PartRow[]) {
  return rows
    .filter((r) => r.sku.trim())
    .map((r) => ({
      sku: r.sku.trim(),
      qty: typeof r.qty === 'number' && r.qty >= 1 ? Math.round(r.qty) : 1,
      ...(typeof r.unitCost === 'number' ? { unitCost: r.unitCost } : {}),
    }));
}

/** Parts used: SKU, quantity and unit cost per line. */
export function PartsEditor({ rows, onChange }: { rows: PartRow[]; onChange: (rows: PartRow[]) => void }) {
  const { t } = useI18n();
  const set = (key: number, patch: Partial<PartRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <Stack gap={6} data-testid="parts-editor">
      <Text size="sm" fw={500}>
        {t('tech.parts')}
      </Text>
      {rows.map((r, i) => (
        <Group key={r.key} gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            label={t('tech.sku')}
            labelProps={i ? { className: 'visually-hidden' } : undefined}
            value={r.sku}
            onChange={(e) => set(r.key, { sku: e.currentTarget.value })}
            maxLength={64}
            style={{ flex: 2 }}
            data-testid="part-sku"
          />
          <NumberInput
            label={t('tech.qty')}
            labelProps={i ? { className: 'visually-hidden' } : undefined}
            value={r.qty}
            onChange={(v) => set(r.key, { qty: v })}
            min={1}
            max={1000}
            allowDecimal={false}
            style={{ flex: 1 }}
            data-testid="part-qty"
          />
          <NumberInput
            label={t('tech.unitCost')}
            labelProps={i ? { className: 'visually-hidden' } : undefined}
            value={r.unitCost}
            onChange={(v) => set(r.key, { unitCost: v })}
            min={0}
            max={1_000_000}
            decimalScale={2}
            style={{ flex: 1 }}
            data-testid="part-cost"
          />
          <ActionIcon
            variant="subtle"
            color="red"
            size="lg"
            aria-label={t('tech.removePart')}
            onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
            disabled={rows.length === 1}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button size="xs" variant="light" onClick={() => onChange([...rows, newRow()])} data-testid="part-add">
          {t('tech.addPart')}
        </Button>
      </Group>
    </Stack>
  );
}
