import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, problemText } from '../api';

/** One pushed event (no personal data: the alert itself is opened through the logged read). */
export interface UrgentEvent {
  type: 'alert' | 'escalation';
  id: number;
  alertId: string;
  kind: string;
  urgency: string;
  unit: string;
  occurredAt: string;
  receivedAt: string;
  ackDueAt: string | null;
  step: number;
  to?: string;
}

/** A short two-tone alarm drawn with Web Audio (no sound file to ship); silent where the browser blocks audio. */
function chime() {
  try {
    const Ctx =
      window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    [880, 660, 880].forEach((f, i) => {
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.frequency.value = f;
      g.gain.value = 0.15;
      o.connect(g).connect(ctx.destination);
      o.start(ctx.currentTime + i * 0.18);
      o.stop(ctx.currentTime + i * 0.18 + 0.15);
    });
    setTimeout(() => void ctx.close(), 1000);
  } catch {
    // no audio: the banner still shows
  }
}

/**
 * Urgent alerts pushed to this reviewer (server-sent events from /api/review/stream): a banner per alert
 * with a sound, until someone acknowledges it. The browser's EventSource reconnects by itself and sends
 * Last-Event-ID, so the server replays what was missed.
 */
export function UrgentBanner({
  active,
  onOpen,
  onEvent,
}: {
  active: boolean;
  onOpen: (alertId: string) => void;
  onEvent: () => void;
}) {
  const { t } = useTranslation();
  const [items, setItems] = useState<UrgentEvent[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  useEffect(() => {
    if (!active) return;
    const es = new EventSource('/api/review/stream');
    const take = (type: UrgentEvent['type']) => (m: MessageEvent) => {
      const ev = { type, id: Number(m.lastEventId), ...JSON.parse(m.data) } as UrgentEvent;
      setItems((xs) => [ev, ...xs.filter((x) => x.alertId !== ev.alertId)]);
      chime();
      onEventRef.current();
    };
    es.addEventListener('alert', take('alert'));
    es.addEventListener('escalation', take('escalation'));
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(false);
    return () => es.close();
  }, [active]);

  const acknowledge = async (alertId: string) => {
    setError(null);
    try {
      await api(`/api/alerts/${alertId}/acknowledge`, { method: 'POST' });
      setItems((xs) => xs.filter((x) => x.alertId !== alertId));
    } catch (e) {
      setError(problemText(e));
    }
  };

  if (!active) return null;
  return (
    <div className="urgent" data-testid="urgent" data-connected={connected ? 'yes' : 'no'}>
      <p className="note">{connected ? t('review.urgent.live') : t('review.urgent.connecting')}</p>
      {items.map((x) => (
        <div
          key={x.alertId}
          role="alert"
          className={`urgent-banner urgency-${x.urgency}`}
          data-testid="urgent-banner"
          data-alert={x.alertId}
          data-type={x.type}
        >
          <strong>
            {x.type === 'escalation'
              ? t('review.urgent.escalated', { step: x.step, to: t(`review.urgent.to.${x.to ?? 'unit'}`) })
              : t(`review.urgent.urgency.${x.urgency}`)}
          </strong>{' '}
          {t(`review.urgent.kind.${x.kind}`, { defaultValue: x.kind })} · {x.unit} ·{' '}
          {x.occurredAt.slice(0, 19).replace('T', ' ')} UTC
          {x.ackDueAt && <> · {t('review.urgent.due', { at: x.ackDueAt.slice(11, 19) })}</>}{' '}
          <button name="acknowledge" onClick={() => void acknowledge(x.alertId)}>
            {t('review.urgent.acknowledge')}
          </button>{' '}
          <button name="open-urgent" className="link-dark" onClick={() => onOpen(x.alertId)}>
            {t('review.urgent.open')}
          </button>
        </div>
      ))}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
