import { z } from 'zod';

/**
 * Origin of an incident type. Citizen-reported: a victim or caller reported it. Officer-initiated:
 * enforcement-driven (narcotics, weapons possession, …) — it measures where police looked, not where
 * crime happened, so the forecaster does not learn from it by default.
 */
export const ORIGINS = ['citizen', 'officer'] as const;
export type Origin = (typeof ORIGINS)[number];

export const TIME_PRECISIONS = ['day', 'hour', 'minute'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];

export const IncidentSchema = z.object({
  sourceId: z.string().min(1).max(128),
  type: z.string().min(1).max(128),
  subtype: z.string().max(256).nullable(),
  origin: z.enum(ORIGINS),
  /** UTC ISO 8601, second precision, `Z` suffix. */
  occurredAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
  timePrecision: z.enum(TIME_PRECISIONS),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** Coordinates in the source CRS, kept so computation can happen in the data's own projection. */
  x: z.number().nullable(),
  y: z.number().nullable(),
  srcCrs: z.string(),
  area: z.string().max(64).nullable(),
  /** Free-form non-personal attributes from the source (e.g. arrest flag, beat). */
  attrs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type Incident = z.infer<typeof IncidentSchema>;
