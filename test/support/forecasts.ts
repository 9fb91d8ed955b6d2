/** The request for a quick forecast: one KDE model on 600 ft cells, 7 days from `asOf`. */
export const quickForecastRequest = (asOf: string) => ({
  asOf,
  window: '7d',
  cell: '600ft',
  model: 'kde:gaussian:600ft:365',
});

/** A quick forecast on the Chicago demo (one KDE model on 600 ft cells, 7 days from `asOf`): its id. Throws with the server's answer if refused. */
export async function quickForecast(
  w: {
    call(who: string, method: string, url: string, payload?: unknown): Promise<{ statusCode: number; body: string }>;
  },
  asOf = '2019-06-01',
): Promise<string> {
  const f = await w.call('analyst', 'POST', '/api/forecasts', quickForecastRequest(asOf));
  if (f.statusCode !== 201) throw new Error(f.body);
  return (JSON.parse(f.body) as { id: string }).id;
}
