import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import type { ReviewDecision, ReviewItem } from '../../api/types';
import { useSession } from '../../auth/session';
import { CardsSkeleton, EmptyState, ErrorState, Ltr } from '../../components/States';
import { type MessageKey, useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { ServiceErrorAlert } from './service-errors';
import { TypeBadge } from './badges';

const DECISIONS: Array<{ decision: ReviewDecision; color: string }> = [
  { decision: 'approved', color: 'green' },
  { decision: 'requires_changes', color: 'yellow' },
  { decision: 'rejected', color: 'red' },
];

function ReviewCard({ item, onDecided }: { item: ReviewItem; onDecided: (number: string, d: ReviewDecision) => void }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [notes, setNotes] = useState('');
  const decide = useMutation({
    mutationFn: (decision: ReviewDecision) =>
      api.reviews.decide(item.actionId, { decision, notes: notes.trim() || undefined }),
    onSuccess: (_out, decision) => {
      void queryClient.invalidateQueries({ queryKey: ['reviews'] });
      void queryClient.invalidateQueries({ queryKey: ['service'] });
      onDecided(item.number, decision);
    },
  });
  const score = item.qualityScore;
  const notesId = `review-notes-${item.actionId}`;
  return (
    <Paper withBorder p="md" radius="md" data-testid="review-item" data-action-id={item.actionId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={4}>
            <Group gap="xs" wrap="wrap">
              <Anchor component={Link} to={`/service/${item.actionId}`} fw={700}>
                <Ltr>{item.number}</Ltr>
              </Anchor>
              <TypeBadge type={item.type} />
              {score !== null ? (
                <Badge color={score <= 3 ? 'red' : score <= 6 ? 'yellow' : 'green'} size="lg">
                  {t('hub.scoreOf', { score: fmt.number(score), max: fmt.number(10) })}
                </Badge>
              ) : null}
            </Group>
            <Text size="sm">
              {item.customerName} · <Ltr>{item.customerPhone}</Ltr>
            </Text>
          </Stack>
          <Text size="xs" c="dimmed" title={fmt.dateTime(item.waitingSince)}>
            {t('rev.waiting', { ago: fmt.ago(item.waitingSince) })}
          </Text>
        </Group>
        <Group gap="lg" wrap="wrap">
          <Text size="sm">
            <Text span c="dimmed">
              {t('svc.reason')}:
            </Text>{' '}
            {item.reason}
          </Text>
          <Text size="sm">
            <Text span c="dimmed">
              {t('hub.condition')}:
            </Text>{' '}
            {item.condition ? tr('hub.condition', item.condition) : '—'}
          </Text>
          <Text size="sm">
            <Text span c="dimmed">
              {t('hub.recommendation')}:
            </Text>{' '}
            {item.recommendedAction ? tr('hub.recommend', item.recommendedAction) : '—'}
          </Text>
        </Group>
        {item.notes ? (
          <Text size="sm" c="dimmed">
            {t('hub.notes')}: {item.notes}
          </Text>
        ) : null}
        {can('reviews:decide') ? (
          <>
            <Textarea
              id={notesId}
              label={t('rev.notes')}
              value={notes}
              onChange={(e) => setNotes(e.currentTarget.value)}
              autosize
              minRows={1}
              maxLength={2000}
              data-testid="review-notes"
            />
            <Group gap="xs" wrap="wrap" role="group" aria-label={t('rev.decide', { number: item.number })}>
              {DECISIONS.map(({ decision, color }) => (
                <Button
                  key={decision}
                  color={color}
                  variant={decision === 'approved' ? 'filled' : 'light'}
                  loading={decide.isPending && decide.variables === decision}
                  disabled={decide.isPending}
                  onClick={() => decide.mutate(decision)}
                  data-testid={`review-${decision}`}
                >
                  {t(`rev.decision.${decision}` as MessageKey)}
                </Button>
              ))}
            </Group>
            {decide.isError ? <ServiceErrorAlert error={decide.error} /> : null}
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** The team leader's queue: inspections that need a decision, oldest first. */
export default function ReviewsPage() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const [last, setLast] = useState<{ number: string; decision: ReviewDecision } | null>(null);
  const q = useQuery({
    queryKey: ['reviews'],
    queryFn: ({ signal }) => api.reviews.queue(signal),
    refetchInterval: 60_000,
  });
  return (
    <Stack gap="md" maw={1000}>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('rev.title')}</Title>
        {q.data ? (
          <Text size="sm" c="dimmed" data-testid="review-count">
            {t('rev.count', { count: fmt.number(q.data.items.length) })}
          </Text>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        {t('rev.hint')}
      </Text>
      {last ? (
        <Alert
          color={last.decision === 'approved' ? 'green' : last.decision === 'rejected' ? 'red' : 'yellow'}
          variant="light"
          role="status"
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setLast(null)}
          data-testid="review-done"
        >
          {t('rev.done', { number: last.number, decision: tr('rev.outcome', last.decision) })}
        </Alert>
      ) : null}
      {q.isPending ? (
        <CardsSkeleton count={2} height={160} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <EmptyState message={t('rev.empty')} />
      ) : (
        <Stack gap="sm" data-testid="review-queue">
          {q.data.items.map((item) => (
            <ReviewCard
              key={item.actionId}
              item={item}
              onDecided={(number, decision) => setLast({ number, decision })}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
