import { useDirection } from '@mantine/core';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ar } from './ar';
import { type Dictionary, en, type MessageKey } from './en';
import { ru } from './ru';

export type { MessageKey };
export const LANGUAGES = ['en', 'ar', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

const DICTIONARIES: Record<Language, Dictionary> = { en, ar, ru };
/** The locale each language formats numbers and dates with. */
export const LOCALES: Record<Language, string> = { en: 'en-GB', ar: 'ar-EG', ru: 'ru-RU' };
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ar: 'العربية', ru: 'Русский' };
const STORAGE_KEY = 'orderloop.language';

export type Params = Record<string, string | number>;

export interface I18n {
  lang: Language;
  locale: string;
  dir: 'ltr' | 'rtl';
  setLang: (lang: Language) => void;
  /** The message in the current language with `{name}` placeholders filled. */
  t: (key: MessageKey, params?: Params) => string;
  /** A message for a key built at run time (`category.${c}`), falling back to the raw value when unknown. */
  tr: (prefix: string, value: string) => string;
}

function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

export function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage unavailable: fall through to the browser language
  }
  const browser = (navigator.language || 'en').slice(0, 2);
  return isLanguage(browser) ? browser : 'en';
}

export const dirOf = (lang: Language): 'ltr' | 'rtl' => (lang === 'ar' ? 'rtl' : 'ltr');

function fill(message: string, params?: Params): string {
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

const I18nContext = createContext<I18n | null>(null);

/** Language state: remembered in localStorage, mirrored on <html lang dir> and in Mantine's direction. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  const { setDirection } = useDirection();

  useEffect(() => {
    const dir = dirOf(lang);
    document.documentElement.lang = lang;
    document.documentElement.dir = dir;
    setDirection(dir);
  }, [lang, setDirection]);

  const setLang = useCallback((next: Language) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // remembered for this tab only
    }
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const dict = DICTIONARIES[lang];
    const t = (key: MessageKey, params?: Params) => fill(dict[key] ?? en[key] ?? key, params);
    const tr = (prefix: string, v: string) => {
      const key = `${prefix}.${v}` as MessageKey;
      return key in dict ? dict[key] : v;
    };
    return { lang, locale: LOCALES[lang], dir: dirOf(lang), setLang, t, tr };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
