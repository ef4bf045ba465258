import { Paper, Text } from '@mantine/core';

/** One figure with its label (and an optional line under it). */
export function Kpi({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} mt={4} data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

export const SEGMENT_COLORS: Record<string, string> = {
  new: 'blue',
  regular: 'teal',
  vip: 'yellow',
  problematic: 'red',
};
