import { useTranslation } from 'react-i18next';
import { ApiError, findingExpected, problemText } from '../api';

/**
 * A failed call, in the reader's language: the server's stable code and parameters are rendered here
 * (so switching language re-renders it), each failing field listed with what was expected.
 */
export function ProblemNote({ error, testId }: { error: unknown; testId?: string }) {
  useTranslation(); // re-render on a change of language
  if (!error) return null;
  const fields = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  return (
    <div role="alert" className="error" data-testid={testId}>
      {problemText(error, false)}
      {fields.length > 0 && (
        <ul>
          {fields.map((e, i) => (
            <li key={i}>
              {[e.row !== undefined ? `#${e.row}` : '', e.field, findingExpected(e)].filter(Boolean).join(': ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
