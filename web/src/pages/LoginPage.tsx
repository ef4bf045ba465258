import {
  Alert,
  Button,
  Center,
  Collapse,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { isApiError } from '../api/client';
import { useSession } from '../auth/session';
import { LanguageSelect } from '../components/Layout';
import { useI18n } from '../i18n';

export function LoginPage() {
  const { t } = useI18n();
  const { status, login } = useSession();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenant, setTenant] = useState('');
  const [showTenant, setShowTenant] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (status !== 'anonymous') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/'} replace />;
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password, tenant.trim() || undefined);
    } catch (err) {
      setError(isApiError(err) || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" bg="gray.0" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={400} maw="100%">
        <form onSubmit={submit} noValidate={false} aria-labelledby="login-title">
          <Stack>
            <Group justify="space-between" align="flex-start">
              <div>
                <Title order={1} size="h3" id="login-title">
                  {t('login.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('login.subtitle')}
                </Text>
              </div>
            </Group>
            {error ? (
              <Alert color="red" title={t('login.failed')} role="alert" data-testid="login-error">
                {error}
              </Alert>
            ) : null}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              name="email"
              autoFocus
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              name="password"
            />
            <UnstyledButton onClick={() => setShowTenant((v) => !v)} aria-expanded={showTenant}>
              <Text size="xs" c="blue.7">
                {t('login.tenant')}
              </Text>
            </UnstyledButton>
            <Collapse expanded={showTenant}>
              <TextInput
                label={t('login.tenant')}
                description={t('login.tenantHint')}
                value={tenant}
                onChange={(e) => setTenant(e.currentTarget.value)}
                name="tenant"
              />
            </Collapse>
            <Button type="submit" loading={busy} fullWidth>
              {t('login.submit')}
            </Button>
            <LanguageSelect />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
