// The rooms half of the demo page with files and threads (only the sandbox process): a
// customer's picture posted as a Webex file shows inline, another file as a download link, and
// an agent's reply in a thread shows under its parent. The files come from a loopback server in
// the test, fetched by the sandbox as Webex fetches them; the page never sees a token.
//
//   node rooms_files.test.mjs <dir with the sandbox executable> <artifacts dir>
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { demoSettings } from '../../support/demo_settings.mjs';
import { System, fitsWidth, launch, watch } from './harness.mjs';

const buildDir = process.argv[2] ?? process.env.SB_BUILD_DIR;
const artifacts = process.argv[3] ?? join(buildDir ?? '.', 'artifacts', 'sandbox-ui');
const system = new System(buildDir);
const kToken = demoSettings().SPARK_TOKEN;
// A picture big enough to see in the screenshot (64x48, solid orange), and bytes for a "PDF".
function png(width, height, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xFFFFFFFF;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xFF] ^ (c >>> 8);
    return (c ^ 0xFFFFFFFF) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);  // 8 bits, RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill([r, g, b]).flat())]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(Array(height).fill(row)))),
    chunk('IEND', Buffer.alloc(0))]);
}
const kPng = png(64, 48, [240, 160, 97]);
const kPdf = Buffer.from('%PDF-1.4\n% not really a pdf\n');
let files;
let filesBase;
let context;
let problems;
let base;
let room;
let parent;

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

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  files = createServer((request, response) => {
    if (request.url === '/media/cat.png') {
      response.writeHead(200, { 'Content-Type': 'image/png' });
      response.end(kPng);
    } else if (request.url === '/media/bill.pdf') {
      response.writeHead(200, { 'Content-Type': 'application/pdf' });
      response.end(kPdf);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesBase = `http://127.0.0.1:${files.address().port}`;

  await system.allocate();
  await system.start('sandbox');
  base = system.url('sandbox');
  [room] = (await call('POST', '/sandbox/spark/rooms', { titles: ['2085550144'] })).items;
  const roomPath = `/sandbox/spark/rooms/${encodeURIComponent(room.id)}/messages`;
  // As the bridge posts a customer's MMS: the text, then the picture as a Webex file.
  parent = await call('POST', '/v1/messages',
    { roomId: room.id, markdown: '**SMS** · 2026-05-01T10:00:00.000Z\n\nthe part that broke' },
    kToken);
  await call('POST', '/v1/messages', { roomId: room.id,
    markdown: '**MMS** · 2026-05-01T10:00:00.000Z · picture 1 of 1',
    files: [`${filesBase}/media/cat.png`] }, kToken);
  await call('POST', '/v1/messages', { roomId: room.id, markdown: '**MMS** · file 1 of 1',
    files: [`${filesBase}/media/bill.pdf`] }, kToken);
  // An agent answers in the thread of the customer's text.
  await call('POST', roomPath,
    { as: 'alice@sandbox.example', text: 'Thanks, a new one is on its way.', parentId: parent.id });
  context = await launch(system.work, { viewport: { width: 1280, height: 800 } });
  problems = watch(context, base);
});

after(async () => {
  await context?.close();
  await system.stopAll();
  await new Promise((resolve) => (files ? files.close(resolve) : resolve()));
});

test('a picture shows inline, another file as a link, a thread reply under its parent', async () => {
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('#room-list .room-button', { hasText: '2085550144' }).click();
  await page.locator('#room-title', { hasText: '2085550144' }).waitFor();

  const picture = page.locator('#history .msg-file-image img');
  await picture.waitFor();
  await page.waitForFunction(() =>
    document.querySelector('#history .msg-file-image img')?.naturalWidth === 64);
  const src = await picture.getAttribute('src');
  assert.match(src, /^\/sandbox\/spark\/contents\/[A-Za-z0-9_=-]+$/);
  assert.ok(!src.includes(kToken));
  assert.equal(await picture.getAttribute('alt'), 'cat.png');
  // The picture's post is the customer's (an MMS), not a bridge note.
  const mms = page.locator('#history .msg', { has: page.locator('.msg-file-image img') });
  assert.equal(await mms.getAttribute('data-kind'), 'customer');

  const pdf = page.locator('#history .msg-file-link a[download]');
  await pdf.waitFor();
  assert.equal(await pdf.getAttribute('download'), 'bill.pdf');
  const served = await fetch(new URL(await pdf.getAttribute('href'), base));
  assert.equal(served.headers.get('content-type'), 'application/pdf');
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), kPdf);

  // The reply was posted last but shows right under the message it answers.
  const reply = page.locator('#history .msg-reply', { hasText: 'a new one is on its way' });
  await reply.waitFor();
  assert.equal(await reply.getAttribute('data-parent-id'), parent.id);
  const order = await page.locator('#history > li').evaluateAll((nodes) =>
    nodes.map((node) => node.dataset.messageId));
  assert.equal(order[0], parent.id);
  assert.equal(order[1], await reply.getAttribute('data-message-id'));
  assert.equal(order.length, 4);

  await fitsWidth(page);
  await page.screenshot({ path: join(artifacts, 'rooms-files.png'), animations: 'disabled' });
  assert.deepEqual(problems, { console: [], errors: [], failed: [], external: [] });
  await page.close();
});
