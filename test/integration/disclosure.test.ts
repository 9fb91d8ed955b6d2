import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { render } from '../../src/domain/messages';
import { canonicalJson } from '../../src/ledger/leaf';
import { decodeTlogProof, encodeTlogProof } from '../../src/ledger/proof';
import { disclosurePdf, verifyDisclosure } from '../../src/review/disclosure';
import { activeSystem } from '../support/active-system';
import { runCli } from '../support/cli';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** `entries[1].payload`: the form the verifier names a field in. */
const pathText = (p: Path) => p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

/** Every leaf (scalar, empty array or empty object) of a JSON value, with its path. */
function leaves(v: Json, at: Path = []): Path[] {
  if (v !== null && typeof v === 'object') {
    const kids = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    if (kids.length === 0) return [at];
    return kids.flatMap(([k, x]) => leaves(x, [...at, k]));
  }
  return [at];
}

function getAt(v: Json, p: Path): Json {
  return p.reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], v);
}

/** The text of an uncompressed pdfkit PDF: the hex strings of every TJ operator, one line each. */
function pdfText(pdf: Buffer): string {
  return (pdf.toString('latin1').match(/\[[^\]]*\] TJ/g) ?? [])
    .map((op) =>
      (op.match(/<([0-9a-f]*)>/g) ?? []).map((h) => Buffer.from(h.slice(1, -1), 'hex').toString('latin1')).join(''),
    )
    .join('\n');
}

type Mutation = 'change' | 'delete' | 'add-sibling' | 'retype';

/** A copy of `packet` with one mutation at `path`; returns the path the verifier should name. */
function mutate(packet: Json, path: Path, how: Mutation, seed: string): { packet: Json; names: Path } {
  const copy = structuredClone(packet);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path[path.length - 1];
  const old = parent[key];
  switch (how) {
    case 'change':
      parent[key] =
        typeof old === 'string'
          ? seed && seed !== old
            ? seed
            : `${old}x`
          : typeof old === 'number'
            ? old + 1 + seed.length
            : typeof old === 'boolean'
              ? !old
              : old === null
                ? seed || 'x'
                : Array.isArray(old)
                  ? [seed]
                  : { [seed || 'k']: 1 };
      return { packet: copy, names: path };
    case 'retype':
      parent[key] = typeof old === 'number' ? String(old) : typeof old === 'string' ? 7 : 'seven';
      return { packet: copy, names: path };
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return { packet: copy, names: Array.isArray(parent) ? path.slice(0, -1) : path };
    case 'add-sibling': {
      if (Array.isArray(parent)) {
        parent.push(structuredClone(parent[0]));
        return { packet: copy, names: path.slice(0, -1) };
      }
      const name = `extra${seed.replace(/[^a-z]/gi, '')}`;
      parent[name] = seed;
      return { packet: copy, names: [...path.slice(0, -1), name] };
    }
  }
}

describe.each(DIALECTS)('disclosure packets bind everything they show, on %s', (dialect) => {
  let s: DemoServer;
  let sys: Awaited<ReturnType<typeof activeSystem>>;
  let alertId = '';
  let otherAlertId = '';
  let packet: Json;
  let otherPacket: Json;
  let vkey = '';
  const purpose = { 'x-purpose': 'legal-proceedings; defence request in case 2026-CR-114' };
  const dir = mkdtempSync(join(tmpdir(), 'cw-disclosure-'));
  const getPacket = async (who: string, id: string, format = 'json') =>
    sys.call(who, 'GET', `/api/alerts/${id}/disclosure?format=${format}`, undefined, purpose);

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    sys = await activeSystem(s, 'Disclosure system');
    alertId = (
      await sys.postAlert(1, {
        subjectRef: 'person:Qx7aPz91Lm',
        occurredAt: '2026-11-22T10:00:00Z',
        confidence: 0.8,
        output: { risk: 0.8 },
        explanation: { summary: 'loitering pattern near ATM', factors: [{ name: 'dwell time', weight: 0.6 }] },
      })
    ).json().id;
    const d = await sys.call('officer', 'POST', `/api/alerts/${alertId}/decision`, {
      outcome: 'acted',
      reasonCode: 'confirmed-on-scene',
      reasonText: 'approached, ATM skimmer found',
      enforcementAction: 'arrest',
      corroboration: { kind: 'physical-evidence', description: 'card skimmer attached to ATM slot, photographed' },
    });
    expect(d.statusCode, d.body).toBe(201);
    otherAlertId = (await sys.postAlert(2)).json().id;
    expect(
      (
        await sys.call('officer', 'POST', `/api/alerts/${otherAlertId}/decision`, {
          outcome: 'not-acted',
          reasonCode: 'no-activity-found',
          reasonText: 'nobody there',
        })
      ).statusCode,
    ).toBe(201);
    const r = await getPacket('supervisor', alertId);
    expect(r.statusCode, r.body).toBe(200);
    packet = r.json();
    otherPacket = (await getPacket('oversight', otherAlertId)).json();
    vkey = s.ledger.keys.verifierKeys[0];
  });
  afterAll(async () => s?.close());

  it('the untouched packet verifies and the verified view shows what was committed', () => {
    const r = verifyDisclosure(packet as never, [vkey]);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.ok).toBe(true);
    const v = r.view!;
    // The committed subject is the server's pseudonym of what the vendor sent, never the vendor's form.
    expect(v.alert).toMatchObject({
      id: alertId,
      occurredAt: '2026-11-22T10:00:00Z',
      subjectRef: s.pseudonyms.of('person:Qx7aPz91Lm'),
      output: { risk: 0.8 },
      explanation: { summary: 'loitering pattern near ATM' },
    });
    expect(v.decision).toMatchObject({
      outcome: 'acted',
      enforcementAction: 'arrest',
      corroboration: { kind: 'physical-evidence', description: 'card skimmer attached to ATM slot, photographed' },
      reviewerId: sys.as.officer.id,
    });
    expect(v.responsibility.reviewer).toEqual({ userId: sys.as.officer.id, ref: `user:${sys.as.officer.id}` });
    expect(v.responsibility.supervisorOnDuty?.userId).toBe(sys.as.supervisor.id);
    expect(v.responsibility.assessmentApprover?.userId).toBe(sys.as.oversight.id);
    expect(v.responsibility.systemOwner?.userId).toBe(sys.as['system-owner'].id);
    expect(v.system).toMatchObject({ name: 'Disclosure system', version: 1 });
    expect(v.modelCard?.card).toMatchObject({ model: { method: 'a convolutional person detector on video frames' } });
  });

  /** fast-check: one mutation at any leaf path of `p` fails verification naming that path, or leaves the view as it was. */
  function mutationsAreCaught(p: Json, numRuns: number) {
    const paths = leaves(p);
    const original = verifyDisclosure(p as never, [vkey]).view;
    expect(original).not.toBeNull();
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.constantFrom<Mutation>('change', 'delete', 'add-sibling', 'retype'),
        fc.string({ maxLength: 12 }),
        (path, how, seed) => {
          const m = mutate(p, path, how, seed);
          const r = verifyDisclosure(m.packet as never, [vkey]);
          if (r.ok) {
            // Only a value the verifier re-derives may be ignored, and then what it shows must be unchanged.
            expect(r.view, `${how} ${pathText(path)} passed`).toEqual(original);
            return;
          }
          expect(r.view).toBeNull();
          const named = r.checks.filter((c) => !c.ok).map((c) => c.path);
          const want = pathText(m.names);
          expect(
            named.some((x) => x === want || want.startsWith(`${x}.`) || want.startsWith(`${x}[`)) &&
              named.every((x) => x !== ''),
            `${how} ${pathText(path)}: named ${named.join(', ')}`,
          ).toBe(true);
        },
      ),
      { numRuns },
    );
    // And every leaf path, changed, is caught (not only the ones fast-check happened to pick).
    for (const x of paths)
      expect(verifyDisclosure(mutate(p, x, 'change', 'forged').packet as never, [vkey]).ok, pathText(x)).toBe(false);
    return paths.length;
  }

  it('property: mutating any field of a real packet, one at a time, fails verification naming that field', () => {
    expect(mutationsAreCaught(packet, 300)).toBeGreaterThan(20);
  });

  it('an erased alert payload shows as erased with its tombstone; dropping the tombstone or blanking a payload is caught', async () => {
    const id = (await sys.postAlert(3, { subjectRef: 'person:Erased0001' })).json().id as string;
    expect(
      (
        await sys.call('officer', 'POST', `/api/alerts/${id}/decision`, {
          outcome: 'not-acted',
          reasonCode: 'no-activity-found',
          reasonText: 'nothing seen',
        })
      ).statusCode,
    ).toBe(201);
    const a = await s.store.db.selectFrom('alerts').select('log_index').where('id', '=', id).executeTakeFirstOrThrow();
    await s.ledger.erase(a.log_index, 'system:retention-test', 'retention-expired');
    const erased = (await getPacket('oversight', id)).json();
    const r = verifyDisclosure(erased, [vkey]);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.view!.alert).toEqual({ erased: true, logIndex: a.log_index, reason: 'retention-expired' });
    expect(r.view!.decision).toMatchObject({ outcome: 'not-acted', reviewerId: sys.as.officer.id });
    expect(JSON.stringify(r.view)).not.toContain('Erased0001');
    mutationsAreCaught(erased, 150);

    const noTombstone = structuredClone(erased) as { entries: { role: string }[] };
    noTombstone.entries = noTombstone.entries.filter((e) => e.role !== 'tombstone');
    const nt = verifyDisclosure(noTombstone, [vkey]);
    expect(nt.ok).toBe(false);
    expect(nt.checks.filter((c) => !c.ok).map((c) => c.path)).toEqual(['entries[0].payload']);

    const blanked = structuredClone(packet) as {
      entries: { role: string; payload: string | null; salt: string | null }[];
    };
    const i = blanked.entries.findIndex((e) => e.role === 'decision');
    blanked.entries[i].payload = null;
    blanked.entries[i].salt = null;
    const b = verifyDisclosure(blanked, [vkey]);
    expect(b.ok).toBe(false);
    expect(b.checks.filter((c) => !c.ok).map((c) => c.path)).toEqual([`entries[${i}].payload`]);
  });

  it('an alert that expired unreviewed discloses its expiry entry, tied to the alert', async () => {
    const id = (await sys.postAlert(4)).json().id as string;
    await s.store.db.updateTable('alerts').set({ expires_at: '2000-01-01T00:00:00Z' }).where('id', '=', id).execute();
    await sys.call('officer', 'GET', '/api/review/queue'); // records the expiry
    const p = (await getPacket('oversight', id)).json();
    const r = verifyDisclosure(p, [vkey]);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.view!.decision).toMatchObject({ outcome: 'expired', expiredAt: '2000-01-01T00:00:00Z' });
    expect(r.view!.responsibility.reviewer).toBeNull();
    mutationsAreCaught(p, 100);
    // The expiry of this alert cannot stand in as another alert's decision.
    const swapped = structuredClone(packet) as { entries: Json[] };
    const i = (packet as { entries: { role: string }[] }).entries.findIndex((e) => e.role === 'decision');
    swapped.entries[i] = (p as { entries: Json[] }).entries.find((e) => (e as { role: string }).role === 'expiry')!;
    const bad = verifyDisclosure(swapped, [vkey]);
    expect(bad.ok).toBe(false);
    expect(bad.checks.filter((c) => !c.ok).map((c) => c.path)).toContain(`entries[${i}].payload`);
  });

  it('an edited committed payload is caught even when re-canonicalised: arrest→stop, invented warrant, occurredAt, subjectRef, explanation, reviewer', () => {
    const edits: [string, (p: Record<string, unknown>) => void][] = [
      ['decision', (p) => (p.enforcementAction = 'stop')],
      [
        'decision',
        (p) =>
          (p.corroboration = { kind: 'judicial-authorisation', description: 'warrant 2026-W-1 signed by a judge' }),
      ],
      ['decision', (p) => (p.reviewerId = sys.as.supervisor.id)],
      ['alert', (p) => (p.occurredAt = '2026-11-22T09:00:00Z')],
      ['alert', (p) => (p.subjectRef = 'person:SomeoneElse1')],
      ['alert', (p) => ((p.explanation as { summary: string }).summary = 'seen breaking in')],
    ];
    for (const [role, edit] of edits) {
      const copy = structuredClone(packet) as { entries: { role: string; payload: string }[] };
      const i = copy.entries.findIndex((e) => e.role === role);
      const p = JSON.parse(copy.entries[i].payload);
      edit(p);
      copy.entries[i].payload = canonicalJson(p);
      const r = verifyDisclosure(copy as never, [vkey]);
      expect(r.ok).toBe(false);
      expect(r.view).toBeNull();
      expect(r.checks.filter((c) => !c.ok).map((c) => c.path)).toContain(`entries[${i}].payload`);
    }
  });

  it('a forged receipt carrying a re-committed leaf, an entry replayed from another alert, and an untrusted key are refused', () => {
    const copy = structuredClone(packet) as { entries: { role: string; receipt: string; payload: string }[] };
    const i = copy.entries.findIndex((e) => e.role === 'decision');
    const proof = decodeTlogProof(copy.entries[i].receipt);
    const leaf = JSON.parse(proof.extra!.toString('utf8'));
    leaf.payloadHash = 'a'.repeat(64);
    copy.entries[i].receipt = encodeTlogProof({ ...proof, extra: Buffer.from(canonicalJson(leaf)) });
    const forged = verifyDisclosure(copy as never, [vkey]);
    expect(forged.ok).toBe(false);
    expect(forged.checks.filter((c) => !c.ok).map((c) => c.path)).toContain(`entries[${i}].receipt`);

    // The other alert's decision entry is genuine and in the log, but it is not this alert's decision.
    const replay = structuredClone(packet) as { entries: Json[] };
    const j = (otherPacket as { entries: { role: string }[] }).entries.findIndex((e) => e.role === 'decision');
    replay.entries[i] = (otherPacket as { entries: Json[] }).entries[j];
    const r = verifyDisclosure(replay as never, [vkey]);
    expect(r.ok).toBe(false);
    expect(r.checks.filter((c) => !c.ok).map((c) => c.path)).toContain(`entries[${i}].payload`);

    const other = verifyDisclosure(packet as never, [
      'someone.else/log+00000000+AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefABCD',
    ]);
    expect(other.ok).toBe(false);
  });

  it('refuses old and unknown packet formats with a clear message', () => {
    for (const format of ['counterweight.disclosure/v1', 'counterweight.disclosure/v9', 42]) {
      const r = verifyDisclosure({ ...(packet as object), format } as never, [vkey]);
      expect(r.ok).toBe(false);
      expect(r.checks.find((c) => !c.ok)).toMatchObject({ path: 'format' });
      expect(render(r.checks.find((c) => !c.ok)!.message, 'en')).toMatch(/counterweight\.disclosure\/v2/);
      expect(render(r.checks.find((c) => !c.ok)!.message, 'ko')).toMatch(/[가-힣]/);
    }
  });

  it("a supervisor of another unit gets no packet; oversight and the unit's supervisor do", async () => {
    await createUser(s.ledger, 'system:test-setup', {
      username: 'supervisor-2',
      password: PASSWORD,
      roles: ['supervisor'],
      unit: 'district-2',
    });
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'supervisor-2', password: PASSWORD },
    });
    const cookie = `cw_session=${login.cookies.find((c) => c.name === 'cw_session')!.value}`;
    const r = await s.app.inject({ url: `/api/alerts/${alertId}/disclosure`, headers: { cookie, ...purpose } });
    expect(r.statusCode).toBe(404); // another unit: the same answer as an alert that does not exist
    const ko = await s.app.inject({
      url: `/api/alerts/${alertId}/disclosure`,
      headers: { cookie, ...purpose, 'accept-language': 'ko' },
    });
    expect(ko.json().detail).toMatch(/[가-힣]/);
    expect((await getPacket('officer', alertId)).statusCode).toBe(403); // officers have no disclosure route at all
    expect((await getPacket('oversight', alertId)).statusCode).toBe(200);
  });

  it('the CLI prints what it verified, writes the PDF only from a verified packet, and refuses a tampered one', async () => {
    const file = join(dir, `packet-${dialect}.json`);
    writeFileSync(file, JSON.stringify(packet));
    const pdf = join(dir, `packet-${dialect}.pdf`);
    const ok = await runCli(['verify', 'disclosure', file, '--key', vkey, '--pdf', pdf]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/enforcement action: arrest/i);
    expect(ok.stdout).toContain('card skimmer attached to ATM slot, photographed');
    expect(ok.stdout).toContain(s.pseudonyms.of('person:Qx7aPz91Lm'));
    expect(ok.stdout).toContain(sys.as.officer.id);
    expect(ok.stdout).toMatch(/not that nothing was left out/);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    const tampered = structuredClone(packet) as { entries: { role: string; payload: string }[] };
    const i = tampered.entries.findIndex((e) => e.role === 'decision');
    tampered.entries[i].payload = tampered.entries[i].payload.replace('"arrest"', '"stop"');
    writeFileSync(file, JSON.stringify(tampered));
    const badPdf = join(dir, `tampered-${dialect}.pdf`);
    const bad = await runCli(['verify', 'disclosure', file, '--key', vkey, '--pdf', badPdf], { CW_LANG: 'ko' });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain(`FAIL entries[${i}].payload: 페이로드와 솔트로`);
    expect(bad.stderr).toMatch(/검증 실패/);
    expect(bad.stdout).not.toMatch(/stop/);
    expect(existsSync(badPdf)).toBe(false);
  }, 180_000); // two runs of the real CLI, each starting tsx

  it('the packet and the PDF show what the log committed, not the editable tables; an edited stored payload is never handed out', async () => {
    // Someone with database access rewrites the decision row: arrest becomes a stop with an invented warrant.
    await s.store.db
      .updateTable('decisions')
      .set({
        enforcement_action: 'stop',
        corroboration: JSON.stringify({ kind: 'judicial-authorisation', description: 'warrant 2026-W-1' }),
      })
      .where('alert_id', '=', alertId)
      .execute();
    const view = verifyDisclosure((await getPacket('oversight', alertId)).json(), [vkey]).view!;
    expect(view.decision).toMatchObject({ enforcementAction: 'arrest', corroboration: { kind: 'physical-evidence' } });
    const pdf = await disclosurePdf(view, { compress: false });
    expect(pdfText(pdf)).toContain('Enforcement action: arrest');
    expect(pdfText(pdf)).toContain(`Subject (pseudonymous): ${s.pseudonyms.of('person:Qx7aPz91Lm').slice(0, 20)}`);
    expect(pdfText(pdf)).not.toContain('warrant 2026-W-1');
    const served = await getPacket('supervisor', alertId, 'pdf');
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // Rewriting the stored payload itself breaks its commitment: the server refuses to hand the packet out.
    const idx = (
      await s.store.db
        .selectFrom('decisions')
        .select('log_index')
        .where('alert_id', '=', alertId)
        .executeTakeFirstOrThrow()
    ).log_index;
    const row = await s.store.db
      .selectFrom('ledger_payloads')
      .select('payload')
      .where('idx', '=', idx)
      .executeTakeFirstOrThrow();
    await s.store.db
      .updateTable('ledger_payloads')
      .set({ payload: row.payload!.replace('"arrest"', '"stop"') })
      .where('idx', '=', idx)
      .execute();
    try {
      for (const format of ['json', 'pdf']) {
        const r = await getPacket('oversight', alertId, format);
        expect(r.statusCode).toBe(500);
        expect(r.json().detail).toMatch(/does not verify/);
      }
    } finally {
      await s.store.db.updateTable('ledger_payloads').set({ payload: row.payload }).where('idx', '=', idx).execute();
    }
  });
  // Last: it stops the server, so that the command is the only writer of the log.
  it.runIf(dialect === 'sqlite')(
    "the disclose command, run on the stopped server's database, writes a packet and a PDF that verify",
    async () => {
      const { dbFile, keysDir } = s;
      await s.app.close();
      await s.store.close();
      s.close = async () => rmSync(dirname(dbFile), { recursive: true, force: true });
      const out = join(dir, 'cli-packet.json');
      const pdf = join(dir, 'cli-packet.pdf');
      const r = await runCli(['disclose', alertId, '--out', out, '--pdf', pdf], {
        CW_SQLITE_FILE: dbFile,
        CW_KEYS_DIR: keysDir,
        CW_LOG_ORIGIN: 'test.counterweight/log',
      });
      expect(r.code, r.stderr).toBe(0);
      const v = verifyDisclosure(JSON.parse(readFileSync(out, 'utf8')), [vkey]);
      expect(v.checks.filter((c) => !c.ok)).toEqual([]);
      expect(v.view!.decision).toMatchObject({ enforcementAction: 'arrest' });
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    },
    180_000,
  );
});
