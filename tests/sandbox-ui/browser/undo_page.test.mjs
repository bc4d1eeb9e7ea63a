// Undo send on the demo page (only the sandbox process, SMS_UNDO_SECONDS=4): an agent's reply in
// a customer's room shows a counting-down delete button while its window runs; clicking it
// deletes the message in Webex (it disappears); a whisper and the bridge's posts have none; a
// reply left alone loses its button when the window ends and stays.
//
//   node undo_page.test.mjs <dir with the sandbox executable> <artifacts dir>
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoSettings } from '../../support/demo_settings.mjs';
import { System, launch, watch } from './harness.mjs';

const buildDir = process.argv[2] ?? process.env.SB_BUILD_DIR;
const artifacts = process.argv[3] ?? join(buildDir ?? '.', 'artifacts', 'sandbox-ui');
const kWindowSeconds = 4;
const system = new System(buildDir, { SMS_UNDO_SECONDS: String(kWindowSeconds) });
const kToken = demoSettings().SPARK_TOKEN;
let context;
let problems;
let base;
let room;

async function call(method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(system.url('sandbox', path), {
    method, headers, body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json();
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${JSON.stringify(data)}`);
  return data;
}

const post = (body) =>
  call('POST', `/sandbox/spark/rooms/${encodeURIComponent(room.id)}/messages`, body);

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  await system.allocate();
  await system.start('sandbox');
  base = system.url('sandbox');
  [room] = (await call('POST', '/sandbox/spark/rooms', { titles: ['2085550145'] })).items;
  await call('POST', '/v1/messages',
    { roomId: room.id, markdown: '**SMS** · 2026-05-01T10:00:00.000Z\n\nwhere is my order?' },
    kToken);
  context = await launch(system.work, { viewport: { width: 1280, height: 800 } });
  problems = watch(context, base);
});

after(async () => {
  await context?.close();
  await system.stopAll();
});

test('a reply can be deleted while its undo window runs, and then it is gone', async () => {
  const config = await call('GET', '/sandbox/ui/config');
  assert.equal(config.undoSeconds, kWindowSeconds);
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('#room-list .room-button', { hasText: '2085550145' }).click();
  await page.locator('#room-title', { hasText: '2085550145' }).waitFor();

  const oops = await post({ as: 'alice@sandbox.example', text: 'internal: customer is rude' });
  await post({ as: 'alice@sandbox.example', text: 'psst', mentions: ['bob@sandbox.example'] });
  const reply = page.locator('#history .msg', { hasText: 'customer is rude' });
  const button = reply.locator('.undo-button');
  await button.waitFor();
  assert.match(await button.textContent(), /^Undo \([1-4] s\)$/);
  const whisper = page.locator('#history .msg', { hasText: 'psst' });
  await whisper.waitFor();
  assert.equal(await whisper.locator('.undo-button').count(), 0);
  assert.equal(await page.locator('#history .msg-customer .undo-button').count(), 0);
  await page.screenshot({ path: join(artifacts, 'undo-button.png'), animations: 'disabled' });

  await button.click();
  await reply.waitFor({ state: 'detached' });
  const history = await call('GET', `/sandbox/spark/rooms/${encodeURIComponent(room.id)}/messages`);
  assert.ok(!history.items.some((message) => message.id === oops.id));
  assert.equal((await call('GET', '/sandbox/spark/state')).rooms.find((r) => r.id === room.id)
    .messageCount, 2);

  // A reply left alone keeps its message; its button goes when the window ends.
  await post({ as: 'alice@sandbox.example', text: 'Your order ships today' });
  const kept = page.locator('#history .msg', { hasText: 'ships today' });
  await kept.locator('.undo-button').waitFor();
  await kept.locator('.undo-button').waitFor({ state: 'detached',
    timeout: (kWindowSeconds + 3) * 1000 });
  assert.equal(await kept.count(), 1);
  assert.deepEqual(problems, { console: [], errors: [], failed: [], external: [] });
  await page.close();
});
