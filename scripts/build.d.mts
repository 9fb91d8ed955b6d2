export const DIST: string;
export const STAMP: string;
export function newestSource(dir?: string): number;
export function isFresh(): boolean;
export function build(): Promise<void>;
