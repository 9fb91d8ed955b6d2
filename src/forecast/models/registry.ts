/**
 * Every forecast model family, once. Adding a model: one file in this folder exporting a `ModelFamily`,
 * and one line here. The order is `auto`'s candidate order: its first candidate (learned) is the reference.
 */
import type { ModelFamily } from '../model-family';
import { counts } from './counts';
import { etas } from './etas';
import { hotspot } from './hotspot';
import { kde } from './kde';
import { learned } from './learned';
import { sepp } from './sepp';

export const MODEL_FAMILIES = [learned, counts, hotspot, kde, etas, sepp] as const;

/** The parameters of every registered family (a discriminated union on `model`). */
export type ModelParams = (typeof MODEL_FAMILIES)[number] extends infer F
  ? F extends ModelFamily<infer P>
    ? P
    : never
  : never;
