import { useTranslation } from 'react-i18next';
import { MESSAGES, render, type MessageCode } from '../../../../src/domain/messages';

export interface GateCheckView {
  action: string;
  code: string;
  params: Record<string, string | number>;
  text: string;
}

/** Where each kind of gate problem is cleared: a form on this page, or another page. */
const PAGE: Record<string, string> = { audit: '/oversight' };

/**
 * The activation gate as a checklist: each problem in the shown language (from its message code) with
 * the action that clears it, a button that opens the form on this page or a link to the page that does.
 */
export function GateChecklist({
  ok,
  checks,
  open,
}: {
  ok: boolean;
  checks: GateCheckView[];
  open: (action: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('ko') ? 'ko' : 'en';
  if (ok) return <p data-testid="gate-ok">{t('systems.gateOk')}</p>;
  return (
    <ul className="checklist" data-testid="gate-checklist">
      {checks.map((c, i) => (
        <li key={i} data-action={c.action}>
          <span aria-hidden="true">☐ </span>
          {c.code in MESSAGES ? render({ code: c.code as MessageCode, params: c.params }, lang) : c.text}{' '}
          {PAGE[c.action] ? (
            <a href={PAGE[c.action]}>{t(`gate.action.${c.action}`)}</a>
          ) : (
            <button type="button" name={`fix-${c.action}`} onClick={() => open(c.action)}>
              {t(`gate.action.${c.action}`)}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
