// The demo page's phone with Twilio as the carrier (SMS_CARRIER=twilio, only the sandbox
// running): the phone texts through the carrier-neutral routes, the number's SMS URL (a small
// application in this test, which checks X-Twilio-Signature itself) answers TwiML that reaches the
// phone, the phone attaches a picture (an MMS, shown in its bubble) and shows the pictures it
// receives; nothing loads from elsewhere and the console stays clean.
//
//   node phone-twilio.test.mjs <dir with the sandbox executable> <artifacts dir>
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { demoSettings } from '../../support/demo_settings.mjs';
import { freePort } from '../../support/ports.mjs';
import { System, launch, waitFor, watch } from './harness.mjs';

const buildDir = process.argv[2] ?? process.env.SB_BUILD_DIR;
const artifacts = process.argv[3] ?? join(buildDir ?? '.', 'artifacts', 'sandbox-ui');
const kDemo = demoSettings();
const kCustomer = '+12085550166';
// A 120x80 checkered PNG: a picture the phone can attach and show.
const kPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAHgAAABQCAIAAABd+SbeAAAAsUlEQVR42u3bsQkAIAwEwEzkQlYuJo7oCO6QQgI5+P7h2udj7JnOPSudbr0BGjRo0KBBgwYNGjRo0KBBgwYNGjRo0KBBgwYNGnRRaFh/ekGDBg0aNGjQoEGDBg0aNGjQoEGDBg0aNGjQoEGDrgoNywoOGjRo0KBBgwYNGjRo0KBBgwYNGjRo0KBBgwYN2s8QlhUcNGjQoEGDBg0aNGjQoEGDBg0aNGjQoEGDBg0adFvoBzIIBWdE23qcAAAAAElFTkSuQmCC',
  'base64');

const system = new System(buildDir);
const received = [];  // what the application was sent, with its signature checked
let appPort;
let app;
let context;
let problems;
let base;

const escapeXml = (text) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

// Twilio's signature, computed here from the docs: base64 HMAC-SHA1 of the URL and the sorted
// name+value pairs.
function signatureOf(url, params) {
  const pairs = [...params].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return createHmac('sha1', kDemo.TWILIO_AUTH_TOKEN)
    .update(url + pairs.map(([name, value]) => name + value).join(''), 'utf8').digest('base64');
}

function startApplication(port) {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      if (request.method === 'GET' && request.url === '/picture.png') {
        response.writeHead(200, { 'Content-Type': 'image/png' });
        response.end(kPng);
        return;
      }
      const params = [...new URLSearchParams(body)];
      const form = Object.fromEntries(params);
      received.push({ form, signed: request.headers['x-twilio-signature']
        === signatureOf(`http://127.0.0.1:${port}${request.url}`, params) });
      const reply = Number(form.NumMedia) > 0 ? 'Thanks for the picture!' : `Echo: ${form.Body}`;
      response.writeHead(200, { 'Content-Type': 'text/xml' });
      response.end(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(reply)}`
        + '</Message></Response>');
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  await system.allocate();
  appPort = await freePort();
  app = await startApplication(appPort);
  const env = system.env.bind(system);
  system.env = () => ({
    ...env(),
    SMS_CARRIER: 'twilio',
    TWILIO_SMS_URL: `http://127.0.0.1:${appPort}/sms`,
    TWILIO_VOICE_URL: `http://127.0.0.1:${appPort}/voice`,
  });
  await system.start('sandbox');
  base = system.url('sandbox');
  context = await launch(system.work, { viewport: { width: 1280, height: 800 } });
  problems = watch(context, base);
});

after(async () => {
  await context?.close();
  await system.stopAll();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve()));
});

async function pictureShown(locator) {
  await locator.waitFor();
  await waitFor(() => locator.evaluate((img) => img.complete && img.naturalWidth > 0),
    'the picture to load');
}

test('the phone texts and sends a picture through Twilio, and shows the replies', async () => {
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByLabel('Phone number of this customer').fill(kCustomer);
  await page.getByRole('button', { name: 'Use number' }).click();
  await page.locator('#phone-owner', { hasText: '+1 (208) 555-0166' }).waitFor();

  // Text: a signed webhook, and the TwiML <Message> comes back to the phone.
  await page.getByLabel('Text message to the company').fill('Hello <there>');
  await page.getByRole('button', { name: 'Send text' }).click();
  await page.locator('#thread .bubble-in', { hasText: 'Echo: Hello <there>' }).waitFor();
  assert.equal(received.length, 1);
  assert.ok(received[0].signed, 'the SMS webhook carries a valid X-Twilio-Signature');
  assert.equal(received[0].form.From, kCustomer);
  assert.equal(received[0].form.Body, 'Hello <there>');

  // A picture: attached, previewed, sent as an MMS, shown in the phone's own bubble.
  const attach = page.getByRole('button', { name: 'Attach a picture' });
  assert.ok(await attach.isVisible(), 'with Twilio the phone can attach a picture');
  await page.setInputFiles('#sms-picture', { name: 'receipt.png', mimeType: 'image/png', buffer: kPng });
  await page.locator('#sms-attachment:not([hidden])').waitFor();
  await page.getByLabel('Text message to the company').fill('my receipt');
  await page.getByRole('button', { name: 'Send text' }).click();
  await pictureShown(page.locator('#thread .bubble-out', { hasText: 'my receipt' }).locator('img.bubble-picture'));
  await page.locator('#thread .bubble-in', { hasText: 'Thanks for the picture!' }).waitFor();
  assert.ok(await page.locator('#sms-attachment').isHidden(), 'the attachment is cleared once sent');
  const mms = received[1].form;
  assert.ok(received[1].signed);
  assert.equal(mms.NumMedia, '1');
  assert.equal(mms.MediaContentType0, 'image/jpeg');
  assert.match(mms.MediaUrl0, /\/twilio\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\/MM[0-9a-f]{32}\/Media\/ME[0-9a-f]{32}$/);

  // An MMS from the company (the REST API, as twilio-gateway sends it) shows its picture.
  const account = kDemo.TWILIO_ACCOUNT_SID;
  const sent = await fetch(system.url('sandbox', `/twilio/2010-04-01/Accounts/${account}/Messages.json`), {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${account}:${kDemo.TWILIO_AUTH_TOKEN}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ To: kCustomer, From: kDemo.TWILIO_FROM_NUMBER, Body: 'Your label',
      MediaUrl: `http://127.0.0.1:${appPort}/picture.png` }).toString(),
  });
  assert.equal(sent.status, 201);
  await pictureShown(page.locator('#thread .bubble-in', { hasText: 'Your label' }).locator('img.bubble-picture'));
  await page.screenshot({ path: join(artifacts, 'phone-twilio-mms.png'), animations: 'disabled' });
  await page.close();

  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.failed, []);
  assert.deepEqual(problems.external, []);
});
