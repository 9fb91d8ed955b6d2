import { z } from 'zod';

/** A unit (district, team) id: a lowercase slug. Alerts, people and shifts belong to units. */
export const UnitSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);

/** The roles of DESIGN.md. `public` is the anonymous visitor; every signed-in user is also public. */
export const ROLES = [
  'public',
  'analyst',
  'supervisor',
  'officer',
  'system-owner',
  'oversight',
  'auditor',
  'admin',
  'integration',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles a person account may hold (integration is for machine clients with API keys only). `auditor` is
 * the external check on oversight itself: read-only access to the access log and its review, where
 * oversight's own reads of personal data are recorded.
 */
export const PERSON_ROLES: Role[] = [
  'analyst',
  'supervisor',
  'officer',
  'system-owner',
  'oversight',
  'auditor',
  'admin',
];

/**
 * Roles an API key may hold. A key is a machine: approvals, decisions, audits, resumptions and
 * redactions need a named person's session (routes admitting no machine role refuse every key).
 */
export const MACHINE_ROLES: Role[] = ['integration'];

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}
