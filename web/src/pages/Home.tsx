import { useTranslation } from 'react-i18next';

export function Home() {
  const { t } = useTranslation();
  return (
    <section className="home">
      <h1>{t('app.name')}</h1>
      <p>{t('home.intro')}</p>
      <p className="advisory">{t('home.advisory')}</p>
    </section>
  );
}
