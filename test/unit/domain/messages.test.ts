import { describe, expect, it } from 'vitest';
import { LANGS, MESSAGES, langOf, msg, render } from '../../../src/domain/messages';
import { AccessError, InputError } from '../../../src/domain/errors';

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('server messages', () => {
  it('every message exists in English and Korean with the same placeholders', () => {
    for (const [code, texts] of Object.entries(MESSAGES)) {
      for (const lang of LANGS) expect(texts[lang].trim(), `${code} ${lang}`).not.toBe('');
      expect(placeholders(texts.ko), code).toEqual(placeholders(texts.en));
      // A Korean text that is the English one was not translated.
      expect(texts.ko, code).not.toBe(texts.en);
      expect(/[\uac00-\ud7a3]/.test(texts.ko), `${code} has Hangul`).toBe(true);
    }
  });

  it('renders parameters in the asked language and leaves a missing one visible', () => {
    expect(render({ code: 'auth.needsRole', params: { roles: 'admin' } }, 'ko')).toBe(
      '다음 역할 중 하나가 필요합니다: admin',
    );
    expect(render({ code: 'auth.needsRole' }, 'en')).toBe('this needs one of the roles: {{roles}}');
  });

  it('renders a list of messages in the asked language, joined by semicolons', () => {
    const problems = [msg('auth.needsRole', { roles: 'admin' }), msg('model.countsDays', { days: 365 })];
    expect(render({ code: 'register.gateRefused', params: { problems } }, 'ko')).toBe(
      '이 버전은 운영을 시작할 수 없습니다: 다음 역할 중 하나가 필요합니다: admin; 최근 365일 건수',
    );
    expect(render({ code: 'register.gateRefused', params: { problems } }, 'en')).toBe(
      'this version cannot go live: this needs one of the roles: admin; counts over the last 365 days',
    );
  });

  it('reads Accept-Language by order of preference', () => {
    expect(langOf('ko-KR,ko;q=0.9,en;q=0.8')).toBe('ko');
    expect(langOf('en-US,ko;q=0.5')).toBe('en');
    expect(langOf('fr, ko;q=0.4')).toBe('ko');
    expect(langOf(undefined)).toBe('en');
    expect(langOf('fr')).toBe('en');
  });

  it('errors keep the English text as their message and render the code in either language', () => {
    const e = new AccessError({ code: 'auth.badKey' }, 401);
    expect(e.message).toBe('API key not recognised or revoked');
    expect(e.text('ko')).toBe(MESSAGES['auth.badKey'].ko);
    const plain = new InputError('plain english');
    expect(plain.messageCode).toBeUndefined();
    expect(plain.text('ko')).toBe('plain english');
  });
});
