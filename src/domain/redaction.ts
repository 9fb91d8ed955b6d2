/**
 * Structured redaction of a published record (a system version or a data source): a field withheld for a
 * stated legal reason is replaced by a marker saying so, until the redaction expires. Pure, shared by the
 * register and the data-source register.
 */
export interface RedactionMark {
  redacted: true;
  legalReason: string;
  decidedBy: string;
  expiresAt: string;
}

/** Replace redacted fields (dotted paths) by a marker naming the legal reason; expired redactions no longer apply. */
export function applyRedactionRows(
  record: Record<string, unknown>,
  rows: { field: string; legal_reason: string; decided_by: string; expires_at: string }[],
  at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
) {
  // `at` in the store's timestamp form (whole seconds), so it compares with expires_at as text.
  const copy = structuredClone(record) as Record<string, unknown>;
  for (const r of rows) {
    if (r.expires_at <= at) continue;
    const path = r.field.split('.');
    let node: Record<string, unknown> | undefined = copy;
    for (const key of path.slice(0, -1))
      node =
        node && typeof node[key] === 'object' && node[key] !== null
          ? (node[key] as Record<string, unknown>)
          : undefined;
    const last = path[path.length - 1];
    if (node && last in node)
      node[last] = {
        redacted: true,
        legalReason: r.legal_reason,
        decidedBy: r.decided_by,
        expiresAt: r.expires_at,
      } satisfies RedactionMark;
  }
  return copy;
}
