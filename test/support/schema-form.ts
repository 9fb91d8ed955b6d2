import type { Locator } from 'playwright-core';

/**
 * Fill a form made by web/src/components/SchemaForm.tsx with a value, the way a person does: typing each
 * text and number, choosing from lists, ticking fixed choices, and adding or removing list entries and
 * map rows with the form's own buttons. `form` is the element around the form; `path` the field name.
 */
export async function fillSchemaForm(form: Locator, value: unknown, path = ''): Promise<void> {
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (Array.isArray(value)) {
    const box = form.locator(`fieldset[data-field="${path}"]`).first();
    // A set of fixed choices: one checkbox per choice.
    const boxes = box.locator(`:scope > label.check > input[type=checkbox]`);
    if ((await boxes.count()) > 0) {
      for (const cb of await boxes.all()) {
        const choice = ((await cb.getAttribute('name')) ?? '').slice(path.length + 1);
        await cb.setChecked(value.includes(choice));
      }
      return;
    }
    await resize(form, box, path, value.length);
    for (const [i, item] of value.entries()) await fillSchemaForm(form, item, at(i));
    return;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    // A map (name → value rows) has an add button of its own; an object of fixed fields does not.
    const addRow = form.locator(`button[name="add-${path}"]`);
    if (path && (await form.locator(`fieldset[data-field="${path}"]`).count()) > 0 && (await addRow.count()) > 0) {
      const box = form.locator(`fieldset[data-field="${path}"]`).first();
      await resize(form, box, path, entries.length);
      for (const [i, [k, v]] of entries.entries()) {
        await form.locator(`[name="${at(i)}.name"]`).fill(k);
        await fillSchemaForm(form, v, `${at(i)}.value`);
      }
      return;
    }
    for (const [k, v] of entries) await fillSchemaForm(form, v, at(k));
    return;
  }
  const field = form.locator(`[name="${path}"]`).first();
  if (typeof value === 'boolean') return field.setChecked(value);
  if ((await field.evaluate((e) => e.tagName)) === 'SELECT') {
    await field.selectOption(String(value));
    return;
  }
  await field.fill(String(value));
}

/** Add or remove entries of a list (or rows of a map) with the form's buttons until it has `n`. */
async function resize(form: Locator, box: Locator, path: string, n: number) {
  const items = box.locator(':scope > .array-item');
  while ((await items.count()) < n) await form.locator(`button[name="add-${path}"]`).click();
  while ((await items.count()) > n)
    await form.locator(`button[name="remove-${path}-${(await items.count()) - 1}"]`).click();
}
