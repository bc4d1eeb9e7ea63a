// The whole story, in a real browser, through the UIs only: the whole system runs as real
// processes (bus, sandbox, spark-gateway, tropo-gateway, router, ingress-web) on free ports.
// A customer writes through the website; the sandbox's demo page shows the new room; an agent
// answers there and the answer reaches the simulated phone; a whisper does not; a call is
// forwarded; after a rename the conversation keeps flowing both ways.
//
//   node story.test.mjs <dir with the service executables> <artifacts dir>
//
// Screenshots (1280x800 and 390x844) land in the artifacts dir; look at them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { System, fitsWidth, launch, watch } from './harness.mjs';

const buildDir = process.argv[2] ?? process.env.SB_BUILD_DIR;
const artifacts = process.argv[3] ?? join(buildDir ?? '.', 'artifacts', 'sandbox-ui');
const system = new System(buildDir);
// Messages cross the bus, the router and two gateways: generous, but a broken hop still fails.
const kHop = 20000;

const customer = { name: 'Ann Lee', email: 'ann@example.com', typed: '(208) 555-0123',
  title: '2085550123', shown: '+1 (208) 555-0123' };
let context;
let problems;
let ui;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  await system.allocate();
  for (const service of ['bus', 'sandbox', 'spark-gateway', 'tropo-gateway', 'router',
    'ingress-web']) {
    await system.start(service);
  }
  context = await launch(system.work, { viewport: { width: 1280, height: 800 } });
  problems = watch(context, system.url('sandbox', ''));
});

after(async () => {
  await context?.close();
  await system.stopAll();
});

async function shot(page, name) {
  // Animations finished, so every bubble is shown as it settles.
  await page.screenshot({ path: join(artifacts, name), animations: 'disabled' });
}

async function sendAsAgent(page, agent, text) {
  await page.getByLabel('Post as').selectOption(agent);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.locator('#post-send').click();
  await page.locator('#history .msg', { hasText: text.replace(/^@\w+ /, '') }).waitFor();
}

const received = (page, text) => page.locator('#thread .bubble-in', { hasText: text });

test('a web form message opens a room in the sandbox UI', async () => {
  const site = await context.newPage();
  await site.goto(system.url('ingress-web', '/contact/'));
  await site.getByLabel('Your name').fill(customer.name);
  await site.getByLabel('Mobile number').fill(customer.typed);
  await site.getByLabel('Email').fill(customer.email);
  await site.getByLabel('Your message', { exact: true })
    .fill('Hi! Is the 40 L trail pack back in stock?');
  await site.getByRole('button', { name: 'Send message' }).click();
  await site.waitForURL(/\/contact\/thanks\/$/);
  await site.close();

  ui = await context.newPage();
  await ui.goto(system.url('sandbox', '/'));
  await ui.locator('body[data-ready="true"]').waitFor();
  const room = ui.locator('#room-list .room-button', { hasText: customer.title });
  await room.waitFor({ timeout: kHop });
  await room.click();
  const post = ui.locator('#history .msg-customer', { hasText: 'trail pack back in stock' });
  await post.waitFor({ timeout: kHop });
  assert.match(await post.locator('.pill').textContent(), /Customer · Web form/);
  assert.match(await post.locator('.msg-details').textContent(), /ann@example\.com/);
  assert.match(await post.locator('.msg-author').textContent(), /Switchboard Bridge/);
  assert.match(await ui.locator('#room-sub').textContent(), /\+1 \(208\) 555-0123/);
});

test('the customer\'s phone shows the welcome text', async () => {
  await ui.getByRole('button', { name: 'open on the phone' }).click();
  await ui.locator('#phone-owner', { hasText: customer.shown }).waitFor();
  await received(ui, 'Replies to this number reach our team').waitFor({ timeout: kHop });
  await shot(ui, 'story-1-new-room-desktop.png');
});

test('an agent\'s reply in the room reaches the phone', async () => {
  await sendAsAgent(ui, 'bob@sandbox.example', 'Yes, it is back! Want me to hold one for you?');
  const reply = ui.locator('#history .msg-reply', { hasText: 'Want me to hold one' });
  assert.match(await reply.locator('.msg-author').textContent(), /Bob Baker/);
  await received(ui, 'Want me to hold one for you?').waitFor({ timeout: kHop });
});

test('a whisper stays in the room and never reaches the phone', async () => {
  await ui.getByLabel('Post as').selectOption('bob@sandbox.example');
  await ui.getByRole('button', { name: 'Whisper to Alice Anders' }).click();
  await ui.getByLabel('Message', { exact: true }).pressSequentially('can you check the warehouse?');
  assert.match(await ui.locator('#post-mode').textContent(), /Whisper to Alice/);
  await ui.getByRole('button', { name: 'Whisper', exact: true }).click();
  const whisper = ui.locator('#history .msg-whisper', { hasText: 'check the warehouse' });
  await whisper.waitFor();
  assert.equal(await whisper.locator('.mention').textContent(), '@Alice');

  // A later reply is the barrier: once it is on the phone, the whisper would have been too.
  await sendAsAgent(ui, 'bob@sandbox.example', 'Checking the back room for you now.');
  await received(ui, 'Checking the back room').waitFor({ timeout: kHop });
  assert.equal(await ui.locator('#thread', { hasText: 'warehouse' }).count(), 0);
  await shot(ui, 'story-2-whisper-desktop.png');
});

test('a call from the phone is forwarded to the contact center', async () => {
  await ui.getByRole('button', { name: 'Call Acme Outfitters' }).click();
  await ui.locator('#thread .call-card', { hasText: 'Calling' }).or(
    ui.locator('#thread .call-card', { hasText: 'Call forwarded' })).first().waitFor();
  const forwarded = ui.locator('#thread .call-card.tone-ok',
    { hasText: 'forwarded to +1 (800) 555-0100' });
  await forwarded.waitFor({ timeout: kHop });
  assert.equal(await forwarded.getAttribute('data-outcome'), 'transferred');
  assert.match(await forwarded.locator('.call-title').textContent(), /Call forwarded/);
  // The room notes the call.
  await ui.locator('#history .msg-customer .pill', { hasText: 'Voice call' })
    .waitFor({ timeout: kHop });
});

test('after a rename, texts land in the renamed room and replies still reach the phone',
  async () => {
    await ui.getByRole('button', { name: 'Rename' }).click();
    await ui.getByLabel('Room title').fill(`${customer.name} ${customer.title}`);
    await ui.getByRole('button', { name: 'Save' }).click();
    const renamed = `${customer.name} ${customer.title}`;
    await ui.locator('#room-title', { hasText: renamed }).waitFor();
    await ui.locator('#room-list .room-name', { hasText: renamed }).waitFor();

    await ui.getByLabel('Text message to the company')
      .fill('Great, please hold it. I will come by at 5.');
    await ui.getByRole('button', { name: 'Send text' }).click();
    await ui.locator('#thread .bubble-out', { hasText: 'I will come by at 5' }).waitFor();
    const sms = ui.locator('#history .msg-customer', { hasText: 'I will come by at 5' });
    await sms.waitFor({ timeout: kHop });
    assert.match(await sms.locator('.pill').textContent(), /Customer · SMS/);
    assert.equal(await ui.locator('#room-title').textContent(), renamed);
    // Still one room for this customer.
    const titles = await ui.locator('#room-list .room-name').allTextContents();
    assert.deepEqual(titles.filter((title) => title.endsWith(customer.title)), [renamed]);

    await sendAsAgent(ui, 'alice@sandbox.example', 'Held under your name, see you at 5!');
    await received(ui, 'Held under your name').waitFor({ timeout: kHop });
    await fitsWidth(ui);
    await shot(ui, 'story-3-renamed-desktop.png');
  });

test('on a phone-sized screen the same story reads well', async () => {
  const phone = await launch(system.work, {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  const phoneProblems = watch(phone, system.url('sandbox', ''));
  const page = await phone.newPage();
  await page.goto(system.url('sandbox', '/'));
  // Before the page is ready its form has no handler yet: a click then would be lost.
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByLabel('Phone number of this customer').fill(customer.typed);
  await page.getByRole('button', { name: 'Use number' }).click();
  await received(page, 'Held under your name').waitFor();
  await fitsWidth(page);
  await shot(page, 'story-4-phone-customer.png');

  await page.getByRole('tab', { name: /Agents' Spark/ }).click();
  await page.locator('#room-list .room-button').first().waitFor();
  await fitsWidth(page);
  await shot(page, 'story-5-phone-rooms.png');
  await page.locator('#room-list .room-button', { hasText: customer.title }).click();
  await page.locator('#history .msg-whisper').waitFor();
  await page.locator('#history').evaluate((list) => { list.scrollTop = list.scrollHeight; });
  await fitsWidth(page);
  await shot(page, 'story-6-phone-room.png');
  await phone.close();
  assert.deepEqual(phoneProblems.console, []);
  assert.deepEqual(phoneProblems.errors, []);
});

test('the sandbox UI logged no errors and loaded nothing from elsewhere', () => {
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.failed, []);
  // The website is another origin of the same system; nothing came from outside loopback.
  assert.deepEqual(problems.external.filter((url) => !url.startsWith('http://127.0.0.1:')), []);
});
