import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ko from './ko.json';

/** Every piece of UI text goes through here; English and Korean ship together. */
const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('cw.lang') : null;
// <html lang> follows the language on every change, from the first render on (screen readers, fonts, hyphenation).
i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ko: { translation: ko } },
  lng: saved === 'ko' ? 'ko' : 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes
});

export function toggleLanguage() {
  const next = i18n.language === 'ko' ? 'en' : 'ko';
  localStorage.setItem('cw.lang', next);
  void i18n.changeLanguage(next);
}

export default i18n;
