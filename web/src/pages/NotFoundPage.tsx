import { Anchor, Center, Stack, Text } from '@mantine/core';
import { Link, useRouteError } from 'react-router';
import { ErrorState } from '../components/States';
import { useI18n } from '../i18n';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Center p="xl">
      <Stack align="center">
        <Text>{t('common.notFound')}</Text>
        <Anchor component={Link} to="/">
          {t('common.backHome')}
        </Anchor>
      </Stack>
    </Center>
  );
}

export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <Center p="xl">
      <Stack align="center">
        <Text>{t('common.notAllowed')}</Text>
      </Stack>
    </Center>
  );
}

/** A page that threw while rendering (or a chunk that failed to load): the error and a way back. */
export function RouteErrorPage() {
  const error = useRouteError();
  const { t } = useI18n();
  return (
    <Stack p="xl" maw={700}>
      <ErrorState error={error} onRetry={() => window.location.reload()} />
      <Anchor component={Link} to="/">
        {t('common.backHome')}
      </Anchor>
    </Stack>
  );
}
