/** Published winning PAI at the minimum area (independent re-scoring of the NIJ winners), /work/shared/data/README.md portland-nij. */
export const WINNERS = {
  bur: { '7d': 29.2, '14d': 28.0, '1mo': 31.2, '2mo': 16.7, '3mo': 18.9 },
  veh: { '7d': 32.6, '14d': 64.1, '1mo': 47.0, '2mo': 42.0, '3mo': 41.0 },
} as const;
