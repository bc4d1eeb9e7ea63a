// The sandbox's demo page on its own (only the sandbox process): it loads with no console
// errors and nothing from elsewhere, lists the team's rooms newest activity first, renames a
// room, and shows hostile text as text.
//
//   node page.test.mjs <dir with the sandbox executable> <artifacts dir>
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { System, fitsWidth, launch, watch } from './harness.mjs';

const buildDir = process.argv[2] ?? process.env.SB_BUILD_DIR;
const artifacts = process.argv[3] ?? join(buildDir ?? '.', 'artifacts', 'sandbox-ui');
const system = new System(buildDir);
let context;
let problems;
let base;

async function admin(method, path, body) {
  const response = await fetch(system.url('sandbox', path), {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
  return response.json();
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  await system.allocate();
  await system.start('sandbox');
  base = system.url('sandbox');
  // Two customer rooms; the older one gets the newest message, so it must come first.
  const created = await admin('POST', '/sandbox/spark/rooms',
    { titles: ['2085550111', 'Tommy Tutone 2088675309'] });
  const [first] = created.items;
  await admin('POST', `/sandbox/spark/rooms/${encodeURIComponent(first.id)}/messages`,
    { as: 'alice@sandbox.example', text: 'Morning! Picking this one up.' });
  context = await launch(system.work, { viewport: { width: 1280, height: 800 } });
  problems = watch(context, base);
});

after(async () => {
  await context?.close();
  await system.stopAll();
});

test('the page loads, lists the team rooms newest activity first, with no errors', async () => {
  const page = await context.newPage();
  const response = await page.goto(base);
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-security-policy'], /default-src 'none'/);
  assert.equal(await page.title(), 'Switchboard sandbox · live demo');
  await page.locator('#live[data-state="on"]').waitFor();

  const rooms = page.locator('#room-list .room-name');
  await page.waitForFunction(() => document.querySelectorAll('#room-list .room-name').length === 3);
  assert.deepEqual(await rooms.allTextContents(),
    ['2085550111', 'Tommy Tutone 2088675309', 'Customer Support']);
  assert.equal(await page.locator('#team-name').textContent(), 'Customer Support');
  const meta = await page.locator('#room-list .room-meta').allTextContents();
  assert.match(meta[0], /Customer · \+1 \(208\) 555-0111/);
  assert.match(meta[2], /Team room/);

  // The newest customer room opens by itself on a laptop, with its history.
  await page.locator('#room-title', { hasText: '2085550111' }).waitFor();
  const message = page.locator('#history .msg', { hasText: 'Picking this one up.' });
  await message.waitFor();
  assert.match(await message.locator('.msg-author').textContent(), /Alice Anders/);
  assert.match(await message.locator('.pill').textContent(), /texted to the customer/);
  assert.notEqual(await message.locator('time').getAttribute('datetime'), null);

  // The agents a composer can post as: the team, without the bridge's own account.
  const agents = await page.locator('#agent option').allTextContents();
  assert.deepEqual(agents.map((name) => name.replace(/ \(.*\)$/, '')),
    ['Alice Anders', 'Bob Baker', 'Carol Chen', 'Dan Diaz']);
  await fitsWidth(page);
  await page.screenshot({ path: join(artifacts, 'page-desktop.png'), animations: 'disabled' });
  await page.close();
});

test('renaming a room keeps its number, and the list follows the new title', async () => {
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('#room-list .room-button', { hasText: 'Tommy Tutone 2088675309' }).click();
  await page.locator('#room-title', { hasText: 'Tommy Tutone 2088675309' }).waitFor();
  await page.getByRole('button', { name: 'Rename' }).click();

  // Dropping the number would orphan the customer: the page says so and does not rename.
  await page.getByLabel('Room title').fill('Tommy Tutone');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.locator('#rename-error').textContent(), /Keep 2088675309 at the end/);
  const state = await admin('GET', '/sandbox/spark/rooms');
  assert.ok(state.items.some((room) => room.title === 'Tommy Tutone 2088675309'));

  await page.getByLabel('Room title').fill('Tommy "867" Tutone 2088675309');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#room-title', { hasText: 'Tommy "867" Tutone 2088675309' }).waitFor();
  await page.locator('#room-list .room-name', { hasText: 'Tommy "867" Tutone 2088675309' }).waitFor();
  const after = await admin('GET', '/sandbox/spark/rooms');
  assert.ok(after.items.some((room) => room.title === 'Tommy "867" Tutone 2088675309'));
  await page.close();
});

test('hostile text from an agent or a phone is shown as text, never run', async () => {
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('#room-list .room-button', { hasText: '2085550111' }).click();
  await page.locator('#post-form').waitFor();
  await page.getByLabel('Post as').selectOption('bob@sandbox.example');
  const hostile = '<img src=x onerror="window.__pwned=1"> **bold** [x](javascript:window.__pwned=2)';
  await page.getByLabel('Message', { exact: true }).fill(hostile);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const shown = page.locator('#history .msg', { hasText: 'onerror' });
  await shown.waitFor();
  assert.match(await shown.locator('.msg-content').textContent(), /<img src=x onerror=/);
  assert.equal(await page.locator('#history img').count(), 0);
  assert.equal(await page.locator('#history a[href^="javascript"]').count(), 0);

  // A whisper typed with @Name is posted with a real mention and marked as a whisper.
  await page.getByLabel('Message', { exact: true }).fill('@Alice can you check the <b>stock</b>?');
  assert.match(await page.locator('#post-mode').textContent(), /Whisper to Alice/);
  await page.getByRole('button', { name: 'Whisper', exact: true }).click();
  const whisper = page.locator('#history .msg-whisper', { hasText: 'check the' });
  await whisper.waitFor();
  assert.equal(await whisper.locator('.mention').textContent(), '@Alice');
  assert.match(await whisper.locator('.msg-content').textContent(), /<b>stock<\/b>/);

  // The phone: its own text, with mark-up in it, stays text in its bubble.
  await page.getByLabel('Phone number of this customer').fill('208 555 0111');
  await page.getByRole('button', { name: 'Use number' }).click();
  await page.locator('#phone-owner', { hasText: '+1 (208) 555-0111' }).waitFor();
  await page.getByLabel('Text message to the company').fill('<script>window.__pwned=3</script>hi');
  await page.getByRole('button', { name: 'Send text' }).click();
  const bubble = page.locator('#thread .bubble-out', { hasText: '<script>' });
  await bubble.waitFor();
  assert.equal(await page.evaluate(() => window.__pwned), undefined);

  // A number that is no number is refused next to the field.
  await page.getByLabel('Phone number of this customer').fill('12');
  await page.getByRole('button', { name: 'Use number' }).click();
  await page.locator('#number-error').waitFor();
  assert.match(await page.locator('#number-error').textContent(), /not a phone number/);
  await page.screenshot({ path: join(artifacts, 'page-hostile.png'), animations: 'disabled' });
  await page.close();
});

test('on a phone the halves are tabs and nothing scrolls sideways', async () => {
  const phone = await launch(system.work, {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  const phoneProblems = watch(phone, base);
  const page = await phone.newPage();
  await page.goto(base);
  await page.locator('#live[data-state="on"]').waitFor();
  assert.ok(await page.locator('#phone-pane').isVisible());
  assert.ok(!(await page.locator('#spark-pane').isVisible()));
  await fitsWidth(page);
  await page.getByRole('tab', { name: /Agents' Spark/ }).click();
  await page.locator('#room-list .room-button').first().waitFor();
  assert.ok(!(await page.locator('#phone-pane').isVisible()));
  await fitsWidth(page);
  await page.locator('#room-list .room-button', { hasText: '2085550111' }).click();
  await page.locator('#history .msg').first().waitFor();
  await fitsWidth(page);
  await page.getByRole('button', { name: 'Back to rooms' }).click();
  await page.locator('#room-list').waitFor();
  await phone.close();
  assert.deepEqual(phoneProblems.console, []);
  assert.deepEqual(phoneProblems.errors, []);
});

test('nothing went wrong and nothing was loaded from elsewhere', () => {
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.failed, []);
  assert.deepEqual(problems.external, []);
});
