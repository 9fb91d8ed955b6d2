import type { ReactNode } from 'react';

/** A set of fixed choices as a fieldset of checkboxes named `${prefix}-${choice}`; `value` is the chosen ones. */
export function ChoiceBoxes({
  legend,
  className,
  choices,
  value,
  onChange,
  prefix,
  label,
}: {
  legend: string;
  className: string;
  choices: readonly string[];
  value: string[];
  onChange: (v: string[]) => void;
  prefix: string;
  label: (choice: string) => ReactNode;
}) {
  return (
    <fieldset className={className}>
      <legend>{legend}</legend>
      {choices.map((c) => (
        <label key={c} className="check">
          <input
            type="checkbox"
            name={`${prefix}-${c}`}
            checked={value.includes(c)}
            onChange={(e) => onChange(e.target.checked ? [...value, c] : value.filter((x) => x !== c))}
          />
          {label(c)}
        </label>
      ))}
    </fieldset>
  );
}
