// The hub's inspection form: condition, checklist, quality score, quantities, recommendation.
import {
  Alert,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/endpoints';
import type { InspectionInput, RecommendedAction, ServiceAction } from '../../api/types';
import { useI18n } from '../../i18n';
import { ServiceErrorAlert } from './service-errors';

const CONDITIONS = ['excellent', 'good', 'fair', 'poor', 'damaged'] as const;
const FUNCTIONALITY = ['working', 'partially_working', 'not_working'] as const;
const RECOMMENDATIONS: RecommendedAction[] = ['maintenance', 'replace_part', 'replace_full', 'refund', 'dispose'];
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const CHECKLIST = ['powers_on', 'accessories_complete', 'original_packaging', 'serial_matches', 'cleaned'];

const RECOMMEND_FOR_TYPE: Record<string, RecommendedAction> = {
  maintenance: 'maintenance',
  replace_part: 'replace_part',
  replace_full: 'replace_full',
  return_refund: 'refund',
};

/** Review is required for a score of 3 or less, or a refund or disposal (and refunds above the threshold). */
const predictsReview = (score: number | string, rec: RecommendedAction) =>
  (typeof score === 'number' && score <= 3) || rec === 'refund' || rec === 'dispose';

const toNumber = (v: number | string): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

export function InspectionForm({ action, onDone }: { action: ServiceAction; onDone: (action: ServiceAction) => void }) {
  const { t, tr } = useI18n();
  const queryClient = useQueryClient();
  const [condition, setCondition] = useState<string>('');
  const [functionality, setFunctionality] = useState<string>('');
  const [score, setScore] = useState<number | string>('');
  const [missing, setMissing] = useState<string[]>([]);
  const [damage, setDamage] = useState('');
  const [checklist, setChecklist] = useState<Record<string, boolean>>({});
  const [goodQty, setGoodQty] = useState<number | string>(1);
  const [damagedQty, setDamagedQty] = useState<number | string>(0);
  const [restock, setRestock] = useState('');
  const [rec, setRec] = useState<RecommendedAction>(RECOMMEND_FOR_TYPE[action.type] ?? 'maintenance');
  const [priority, setPriority] = useState<string>('medium');
  const [cost, setCost] = useState<number | string>('');
  const [days, setDays] = useState<number | string>('');
  const [notes, setNotes] = useState('');
  const [invalid, setInvalid] = useState(false);

  const submit = useMutation({
    mutationFn: (body: InspectionInput) => api.hub.inspect(action.id, body),
    onSuccess: (out) => {
      void queryClient.invalidateQueries({ queryKey: ['service'] });
      void queryClient.invalidateQueries({ queryKey: ['reviews'] });
      onDone(out.action);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const s = toNumber(score);
    if (!condition || !functionality || s === undefined || s < 1 || s > 10) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    submit.mutate({
      condition: condition as InspectionInput['condition'],
      functionality: functionality as InspectionInput['functionality'],
      qualityScore: Math.round(s),
      recommendedAction: rec,
      priority: priority as InspectionInput['priority'],
      ...(missing.length ? { missingParts: missing } : {}),
      ...(damage.trim() ? { visibleDamage: damage.trim() } : {}),
      checklist: Object.fromEntries(CHECKLIST.map((k) => [k, Boolean(checklist[k])])),
      ...(toNumber(goodQty) !== undefined ? { goodQty: toNumber(goodQty) } : {}),
      ...(toNumber(damagedQty) !== undefined ? { damagedQty: toNumber(damagedQty) } : {}),
      ...(restock.trim() ? { restockLocation: restock.trim() } : {}),
      ...(toNumber(cost) !== undefined ? { estimatedCost: toNumber(cost) } : {}),
      ...(toNumber(days) !== undefined ? { estimatedDays: Math.round(toNumber(days)!) } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    });
  };

  const review = predictsReview(score, rec);
  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={onSubmit} data-testid="inspection-form">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('hub.inspectTitle')}
        </Title>
        <Radio.Group label={t('hub.condition')} value={condition} onChange={setCondition} required>
          <Group gap="md" mt={6} wrap="wrap">
            {CONDITIONS.map((c) => (
              <Radio key={c} value={c} label={tr('hub.condition', c)} data-testid={`condition-${c}`} />
            ))}
          </Group>
        </Radio.Group>
        <Radio.Group label={t('hub.functionality')} value={functionality} onChange={setFunctionality} required>
          <Group gap="md" mt={6} wrap="wrap">
            {FUNCTIONALITY.map((f) => (
              <Radio key={f} value={f} label={tr('hub.functionality', f)} data-testid={`functionality-${f}`} />
            ))}
          </Group>
        </Radio.Group>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
          <NumberInput
            label={t('hub.qualityScore')}
            description={t('hub.qualityHint')}
            value={score}
            onChange={setScore}
            min={1}
            max={10}
            step={1}
            allowDecimal={false}
            clampBehavior="strict"
            required
            data-testid="quality-score"
          />
          <NativeSelect
            label={t('hub.recommendation')}
            value={rec}
            onChange={(e) => setRec(e.currentTarget.value as RecommendedAction)}
            data={RECOMMENDATIONS.map((r) => ({ value: r, label: tr('hub.recommend', r) }))}
            data-testid="recommendation"
          />
          <NativeSelect
            label={t('hub.priority')}
            value={priority}
            onChange={(e) => setPriority(e.currentTarget.value)}
            data={PRIORITIES.map((p) => ({ value: p, label: tr('priority', p) }))}
          />
          <NumberInput label={t('hub.goodQty')} value={goodQty} onChange={setGoodQty} min={0} max={10000} />
          <NumberInput label={t('hub.damagedQty')} value={damagedQty} onChange={setDamagedQty} min={0} max={10000} />
          <TextInput
            label={t('hub.restockLocation')}
            value={restock}
            onChange={(e) => setRestock(e.currentTarget.value)}
            maxLength={100}
          />
          <NumberInput
            label={t('hub.estimatedCost')}
            value={cost}
            onChange={setCost}
            min={0}
            max={10_000_000}
            decimalScale={2}
          />
          <NumberInput
            label={t('hub.estimatedDays')}
            value={days}
            onChange={setDays}
            min={0}
            max={365}
            allowDecimal={false}
          />
          <TagsInput
            label={t('hub.missingParts')}
            description={t('hub.missingHint')}
            value={missing}
            onChange={setMissing}
            maxTags={50}
          />
        </SimpleGrid>
        <Textarea
          label={t('hub.visibleDamage')}
          value={damage}
          onChange={(e) => setDamage(e.currentTarget.value)}
          autosize
          minRows={1}
          maxLength={2000}
        />
        <Checkbox.Group label={t('hub.checklist')}>
          <Group gap="md" mt={6} wrap="wrap">
            {CHECKLIST.map((k) => (
              <Checkbox
                key={k}
                label={tr('hub.check', k)}
                checked={Boolean(checklist[k])}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setChecklist((c) => ({ ...c, [k]: on }));
                }}
              />
            ))}
          </Group>
        </Checkbox.Group>
        <Textarea
          label={t('hub.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={5000}
          data-testid="inspection-notes"
        />
        {review ? (
          <Alert color="yellow" variant="light" data-testid="inspection-review-hint">
            {t('hub.reviewHint')}
          </Alert>
        ) : null}
        {invalid ? (
          <Alert color="orange" variant="light" role="alert">
            {t('hub.formInvalid')}
          </Alert>
        ) : null}
        {submit.isError ? <ServiceErrorAlert error={submit.error} /> : null}
        <Group>
          <Button type="submit" loading={submit.isPending} data-testid="inspection-submit">
            {t('hub.saveInspection')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
