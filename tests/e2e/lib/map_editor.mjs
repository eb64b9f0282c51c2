// What the map-editor browser tests do on the editor's page, in one place.

/** Adds a step of a type (its label in the type list) to a track group; returns the step's group. */
export async function addStep(track, name, typeLabel) {
  const add = track.getByRole('group', { name: /^Add a step to / });
  await add.getByLabel('New step name').fill(name);
  await add.getByLabel('New step type').selectOption({ label: typeLabel });
  await add.getByRole('button', { name: 'Add step' }).click();
  const step = track.getByRole('group', { name: `Step ${name}`, exact: true });
  await step.waitFor();
  return step;
}

/**
 * Moves an item one place with dnd-kit's keyboard sensor as a keyboard user does: focus
 * its handle, Space to pick it up, an arrow key, Space to drop. Each step waits for what
 * the page says (the handle pressed, the live region's announcement), not for time.
 */
export async function moveByKeyboard(page, handle, key, name, position) {
  await handle.focus();
  await page.keyboard.press('Space');
  await handle.and(page.locator('[aria-pressed="true"]')).waitFor();
  await page.keyboard.press(key);
  await page.getByText(new RegExp(`^${name} is over position ${position} of`)).waitFor();
  await page.keyboard.press('Space');
  await page.getByText(new RegExp(`^${name} dropped at position ${position} of`)).waitFor();
  await handle.and(page.locator('[aria-pressed="true"]')).waitFor({ state: 'detached' });
}
