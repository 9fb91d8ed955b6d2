/** Deepest nesting of arrays and objects a JSON body may have. GeoJSON multipolygons need 8, questionnaires ~20. */
export const MAX_JSON_DEPTH = 64;

/**
 * Does this JSON text nest arrays/objects deeper than `max`? Scanned before JSON.parse so a body of
 * 100,000 nested arrays is a 400, not a stack overflow in whatever walks the parsed value later
 * (validation, canonical JSON, JSON.stringify). One pass, O(n) time, O(1) memory; brackets inside
 * strings do not count. Malformed text is left to the parser to reject.
 */
export function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
