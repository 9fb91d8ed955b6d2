import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';

/** Which bundled demo this installation runs (if any) and the agency time zone times are shown in. */
export function DemoBadge() {
  const { t } = useTranslation();
  const [agency, setAgency] = useState<{ timeZone: string; demo: string | null } | null>(null);
  useEffect(() => {
    api<{ timeZone: string; demo: string | null }>('/api/agency').then(setAgency, () => setAgency(null));
  }, []);
  if (!agency) return null;
  return (
    <span
      className="demo-badge"
      data-testid="demo-badge"
      data-demo={agency.demo ?? ''}
      data-time-zone={agency.timeZone}
    >
      {agency.demo ? `${t(`demo.badge.${agency.demo}`)} · ` : ''}
      {t('demo.badge.timeZone', { zone: agency.timeZone })}
    </span>
  );
}
