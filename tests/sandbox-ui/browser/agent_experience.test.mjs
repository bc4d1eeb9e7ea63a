// What agents and customers see (issue 15), in a real browser, the whole system running as real
// processes (bus, sandbox, spark-gateway, tropo-gateway, router, ingress-web) on free ports,
// driven through the demo page: a customer texts from the phone; a call nobody at the contact
// center answers shows in the room and the phone gets one text inviting a text; the customer
// texts STOP, an agent's reply is not sent and a note in that reply's thread says why, START,
// and the next reply arrives; an agent deletes a reply while its undo window runs and nothing is
// sent; an agent's file reaches the phone as a link that opens without Webex credentials.
//
//   node agent_experience.test.mjs <dir with the service executables> <artifacts dir>
//
// Screenshots land in the artifacts dir.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { System, fitsWidth, launch, watch } from './harness.mjs';

const buildDir = process.argv[2] ?? process.env.SB_BUILD_DIR;
const artifacts = process.argv[3] ?? join(buildDir ?? '.', 'artifacts', 'sandbox-ui');
// Replies wait this long in the router before they are texted (undo send): long enough to
// click, short enough for a story.
const kUndoSeconds = 6;
const system = new System(buildDir, { SMS_UNDO_SECONDS: String(kUndoSeconds) });
// Messages cross the bus, the router and two gateways, and replies wait out the undo window.
const kHop = 25000 + kUndoSeconds * 1000;

const customer = { typed: '(208) 555-0131', number: '+12085550131', title: '2085550131',
  shown: '+1 (208) 555-0131' };
const kPng = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(2000, 0x42)]);
let context;
let problems;
let ui;
let files;
let filesPort;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  // Where the agent's file comes from (Webex fetches what a post names: the sandbox does too).
  files = createServer((request, response) => {
    if (request.url !== '/uploads/map.png') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'image/png',
      'Content-Disposition': 'attachment; filename="map.png"' }).end(kPng);
  });
  await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesPort = files.address().port;
  await system.allocate();
  for (const service of ['bus', 'sandbox', 'spark-gateway', 'tropo-gateway', 'router',
    'ingress-web']) {
    await system.start(service);
  }
  context = await launch(system.work, { viewport: { width: 1280, height: 900 } });
  problems = watch(context, system.url('sandbox', ''));
});

after(async () => {
  await context?.close();
  await system.stopAll();
  await new Promise((resolve) => (files ? files.close(resolve) : resolve()));
});

async function sandbox(method, path, body) {
  const response = await fetch(system.url('sandbox', path), {
    method, headers: { 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, name), animations: 'disabled' });
}

// Posts as an agent through the page's composer; returns the reply's element in the room.
async function sendAsAgent(page, agent, text) {
  await page.getByLabel('Post as').selectOption(agent);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.locator('#post-send').click();
  const reply = page.locator('#history .msg', { hasText: text });
  await reply.waitFor();
  return reply;
}

async function textFromPhone(page, text) {
  await page.getByLabel('Text message to the company').fill(text);
  await page.getByRole('button', { name: 'Send text' }).click();
  await page.locator('#thread .bubble-out', { hasText: text }).last().waitFor();
}

const received = (page, text) => page.locator('#thread .bubble-in', { hasText: text });
const bridgeNote = (page, text) => page.locator('#history .msg', { hasText: text });

test('a customer texts from the phone and their room opens', async () => {
  ui = await context.newPage();
  await ui.goto(system.url('sandbox', '/'));
  await ui.locator('body[data-ready="true"]').waitFor();
  await ui.getByLabel('Phone number of this customer').fill(customer.typed);
  await ui.getByRole('button', { name: 'Use number' }).click();
  await ui.locator('#phone-owner', { hasText: customer.shown }).waitFor();
  await textFromPhone(ui, 'Hi, do you ship to Boise?');
  const room = ui.locator('#room-list .room-button', { hasText: customer.title });
  await room.waitFor({ timeout: kHop });
  await room.click();
  await ui.locator('#history .msg-customer', { hasText: 'ship to Boise' })
    .waitFor({ timeout: kHop });
  await received(ui, 'Replies to this number reach our team').waitFor({ timeout: kHop });
});

test('a call nobody answers shows in the room, and the phone gets one text inviting a text',
  async () => {
    // The page's call button is answered by the contact center; the sandbox's phone API says
    // how the contact center takes a call (as Twilio's and Tropo's outcomes: no-answer).
    await sandbox('POST', `/sandbox/phones/${encodeURIComponent(customer.number)}/call`,
      { answer: 'no-answer' });
    const card = ui.locator('#thread .call-card[data-outcome="unanswered"]');
    await card.waitFor({ timeout: kHop });
    assert.match(await card.locator('.call-title').textContent(), /Call not answered/);
    assert.match(await card.textContent(), /nobody at \+1 \(800\) 555-0100 answered/);

    const missed = ui.locator('#history .msg-customer', { hasText: 'answered (no-answer)' });
    await missed.waitFor({ timeout: kHop });
    assert.match(await missed.locator('.pill').textContent(), /Customer · Missed call/);
    const invitation = received(ui, 'missed your call');
    await invitation.waitFor({ timeout: kHop });
    assert.match(await invitation.textContent(), /Text us at this number/);
    await shot(ui, 'agent-experience-1-missed-call.png');
  });

test('STOP: an agent\'s reply is not sent and its thread says why; START: the next one is',
  async () => {
    await textFromPhone(ui, 'STOP');
    await bridgeNote(ui, 'Opted out').waitFor({ timeout: kHop });
    // Tropo does not answer STOP itself: Switchboard confirms it, once.
    await received(ui, 'you are unsubscribed').waitFor({ timeout: kHop });

    const blocked = await sendAsAgent(ui, 'bob@sandbox.example', 'Your parcel left the depot');
    const blockedId = await blocked.getAttribute('data-message-id');
    const note = ui.locator(`#history .msg[data-parent-id="${blockedId}"]`,
      { hasText: 'Reply not sent' });
    await note.waitFor({ timeout: kHop });
    assert.match(await note.textContent(), /opted out/);
    await shot(ui, 'agent-experience-2-opted-out.png');

    await textFromPhone(ui, 'START');
    await bridgeNote(ui, 'Opted in').waitFor({ timeout: kHop });
    await received(ui, 'you are resubscribed').waitFor({ timeout: kHop });
    await sendAsAgent(ui, 'bob@sandbox.example', 'Welcome back! It arrives tomorrow.');
    await received(ui, 'It arrives tomorrow').waitFor({ timeout: kHop });
    // The blocked reply never reached the phone: the later one is the barrier.
    assert.equal(await received(ui, 'left the depot').count(), 0);
  });

test('undo: a reply deleted while its window runs is never sent', async () => {
  const oops = await sendAsAgent(ui, 'alice@sandbox.example', 'Internal: this one is for Bob');
  const undo = oops.locator('.undo-button');
  await undo.waitFor();
  assert.match(await undo.textContent(), /^Undo \(\d+ s\)$/);
  await shot(ui, 'agent-experience-3-undo.png');
  await undo.click();
  await oops.waitFor({ state: 'detached' });

  await sendAsAgent(ui, 'alice@sandbox.example', 'Sorry for the wait, all set now.');
  await received(ui, 'all set now').waitFor({ timeout: kHop });
  assert.equal(await received(ui, 'this one is for Bob').count(), 0);
  assert.equal(await bridgeNote(ui, 'this one is for Bob').count(), 0);
});

test('a file an agent posts reaches the phone as a link that opens without Webex', async () => {
  const room = (await sandbox('GET', '/sandbox/spark/rooms')).items
    .find((item) => item.title.endsWith(customer.title));
  assert.ok(room, 'the customer\'s room is listed');
  await sandbox('POST', `/sandbox/spark/rooms/${encodeURIComponent(room.id)}/messages`, {
    as: 'alice@sandbox.example', text: 'Here is the map to our store',
    files: [`http://127.0.0.1:${filesPort}/uploads/map.png`],
  });
  const bubble = received(ui, 'Here is the map to our store');
  await bubble.waitFor({ timeout: kHop });
  const link = bubble.locator('a.sms-link');
  await link.waitFor();
  const href = await link.getAttribute('href');
  assert.match(href, /\/api\/files\/[0-9a-f]{64}$/);
  const opened = await fetch(href);  // a phone's plain GET: no credentials
  assert.equal(opened.status, 200);
  assert.equal(opened.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await opened.arrayBuffer()), kPng);
  await fitsWidth(ui);
  await shot(ui, 'agent-experience-4-file.png');
});

test('the page logged no errors and loaded nothing from elsewhere', () => {
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.failed, []);
  assert.deepEqual(problems.external.filter((url) => !url.startsWith('http://127.0.0.1:')), []);
});
