import { AppShell, Badge, Burger, Button, Group, NativeSelect, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { LANGUAGE_NAMES, LANGUAGES, type Language, useI18n } from '../i18n';
import { allowed, NAV } from '../nav';
import { Icon } from './Icons';
import { TableSkeleton } from './States';

export function LanguageSelect({ compact = false }: { compact?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <NativeSelect
      label={t('app.language')}
      labelProps={compact ? { className: 'visually-hidden' } : undefined}
      size="xs"
      value={lang}
      onChange={(e) => setLang(e.currentTarget.value as Language)}
      data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
      data-testid="language-select"
      w={compact ? 120 : undefined}
    />
  );
}

/** The signed-in frame: header (workspace, language, user), navigation by permission, the page. */
export function Layout() {
  const { t, tr } = useI18n();
  const { me, can, logout } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const items = NAV.filter((item) => allowed(item, can));
  const isActive = (path: string) =>
    path === '/' ? location.pathname === '/' : location.pathname === path || location.pathname.startsWith(`${path}/`);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        {t('app.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label={t('app.menu')} />
            <Title order={1} size="h4" c="blue.8">
              {t('app.name')}
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="sm" truncate>
              {me?.tenant.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSelect compact />
            <Stack gap={0} visibleFrom="sm" align="flex-end">
              <Text size="sm" fw={500} data-testid="user-name">
                {me?.user?.name ?? me?.role}
              </Text>
              <Badge size="xs" variant="light">
                {tr('role', me?.role ?? '')}
              </Badge>
            </Stack>
            <Button
              variant="subtle"
              size="xs"
              onClick={() => void logout()}
              leftSection={<Icon name="logout" size={16} />}
            >
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.main')}>
        {items.map((item) => (
          <NavLink
            key={item.path}
            component={RouterNavLink}
            to={item.path}
            end={item.path === '/'}
            label={t(item.label)}
            leftSection={<Icon name={item.icon} />}
            active={isActive(item.path)}
            onClick={close}
            aria-current={isActive(item.path) ? 'page' : undefined}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Suspense fallback={<TableSkeleton />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
