// The demo page's pure helpers (services/sandbox/ui/assets/render.js), in Node without a
// browser: markdown stays data (never HTML), bridge posts are read right, @mentions become
// Webex mention tags, phone numbers and room titles agree with the router's reading.
//
//   node render.test.mjs [path to render.js]
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? join(here, '../../../services/sandbox/ui/assets/render.js');
// render.js is an ES module served as-is to the browser; no package.json marks its folder as
// ESM, so it is imported from its text.
const render = await import(
  `data:text/javascript;base64,${Buffer.from(readFileSync(source)).toString('base64')}`);

const people = [
  { email: 'alice@sandbox.example', firstName: 'Alice', displayName: 'Alice Anders' },
  { email: 'bob@sandbox.example', firstName: 'Bob', displayName: 'Bob Baker' },
];

function flatten(nodes) {
  return nodes.map((node) => node.text ?? (node.children ? flatten(node.children) : '')).join('');
}

test('markdown: mark-up becomes nodes, HTML stays text, only web links are links', () => {
  const [block] = render.parseMarkdown(
    '**Hi** <img src=x onerror=alert(1)> *there* `code` [site](https://example.com/a_(b)) ' +
    '[bad](javascript:alert(1)) <@personEmail:bob@sandbox.example|Bob> \\*not em\\*');
  const types = block.children.map((node) => node.type);
  assert.deepEqual(types.filter((type) => type !== 'text'),
    ['strong', 'em', 'code', 'link', 'link', 'mention']);
  const text = block.children.filter((node) => node.type === 'text').map((node) => node.text).join('');
  assert.match(text, /<img src=x onerror=alert\(1\)>/);
  assert.match(text, /\*not em\*/);
  const links = block.children.filter((node) => node.type === 'link');
  assert.equal(links[0].href, 'https://example.com/a_(b)');
  assert.equal(links[1].href, '');
  const mention = block.children.find((node) => node.type === 'mention');
  assert.deepEqual(mention, { type: 'mention', name: 'Bob', email: 'bob@sandbox.example' });
});

test('markdown: paragraphs and list items', () => {
  const blocks = render.parseMarkdown('first line\nsecond\n\n- one\n- two\n\nlast');
  assert.deepEqual(blocks.map((block) => block.type), ['p', 'li', 'li', 'p']);
  assert.equal(flatten(blocks[0].children), 'first line\nsecond');
});

test('bridge posts: the router\'s header is read into channel and details', () => {
  const post = render.parseBridgePost(
    '**Web form** · 2024\\-05\\-01T12:00:00Z · Ann Lee · ann@example\\.com\n\nIs it in stock\\?');
  assert.equal(post.kind, 'customer');
  assert.equal(post.channel, 'web');
  assert.equal(post.at, '2024-05-01T12:00:00Z');
  assert.deepEqual(post.details, ['Ann Lee', 'ann@example.com']);
  assert.equal(flatten(render.parseMarkdown(post.body)[0].children), 'Is it in stock?');
  assert.equal(render.parseBridgePost('**Voice call** · 2024-05-01T12:00:00Z · forwarded to +1').channel,
    'voice');
  assert.equal(render.parseBridgePost('**SMS not delivered**: the SMS to …').kind, 'note');
  // A forwarded call nobody answered is the customer's call too, labelled as the router does.
  const missed = render.parseBridgePost(
    '**Missed call** · 2024-05-01T12:00:00Z · nobody at \\+18005550100 answered (no\\-answer)');
  assert.equal(missed.kind, 'customer');
  assert.equal(missed.channel, 'voice');
  assert.equal(missed.label, 'Missed call');
  assert.deepEqual(missed.details, ['nobody at +18005550100 answered (no-answer)']);
});

test('messages are classified as the router treats them', () => {
  assert.equal(render.classify({ fromProxy: true, markdown: '**SMS** · t\n\nhi' }), 'customer');
  assert.equal(render.classify({ fromProxy: true, markdown: '**Customer waiting**: x' }), 'note');
  assert.equal(render.classify({ mentionedPeople: ['p1'] }), 'whisper');
  assert.equal(render.classify({ mentionedGroups: ['all'] }), 'whisper');
  assert.equal(render.classify({ text: 'hello' }), 'reply');
});

test('composer: @Name becomes a mention tag in place, the rest is escaped', () => {
  assert.deepEqual(render.composePost('thanks, all good', people), { text: 'thanks, all good' });
  assert.deepEqual(render.composePost('@bob can you take *this* <b>?', people), {
    markdown: '<@personEmail:bob@sandbox.example|Bob> can you take \\*this\\* \\<b\\>?',
    mentions: ['bob@sandbox.example'],
  });
  assert.deepEqual(render.composePost('ping @Alice Anders and @Bob', people).mentions,
    ['alice@sandbox.example', 'bob@sandbox.example']);
  // An email address or an unknown name is no mention: the reply goes to the customer.
  assert.deepEqual(render.composePost('write to alice@sandbox.example', people),
    { text: 'write to alice@sandbox.example' });
  assert.deepEqual(render.composePost('@Bobby hi', people), { text: '@Bobby hi' });
  assert.deepEqual(render.mentionedNames('@alice look', people), ['Alice']);
});

test('numbers: formatting, tidying, and the number a room title ends with', () => {
  assert.equal(render.formatNumber('+12088675309'), '+1 (208) 867-5309');
  assert.equal(render.formatNumber('+447911123456'), '+447911123456');
  assert.equal(render.tidyNumber('(208) 867-5309'), '+12088675309');
  assert.equal(render.tidyNumber('1 208 867 5309'), '+12088675309');
  assert.equal(render.tidyNumber('+44 7911 123456'), '+447911123456');
  assert.equal(render.tidyNumber('abc'), '');
  assert.equal(render.numberFromTitle('2088675309'), '+12088675309');
  assert.equal(render.numberFromTitle('Tommy Tutone 2088675309'), '+12088675309');
  assert.equal(render.numberFromTitle('Ana +447911123456'), '+447911123456');
  assert.equal(render.numberFromTitle('Customer Support'), null);
  assert.equal(render.numberFromTitle('Order 12088675309'), null);
});

test('the phone: texts and calls in time order, call outcomes in a phone\'s words', () => {
  const items = render.phoneTimeline({
    inbox: [{ from: '+12085550100', text: 'welcome', at: '2024-05-01T12:00:02Z' }],
    sent: [{ to: '+12085550100', text: 'hello', at: '2024-05-01T12:00:01Z' }],
    calls: [{ outcome: 'transferred', target: 'tel:+18005550100', started_at: '2024-05-01T12:01:00Z' }],
  });
  assert.deepEqual(items.map((item) => item.kind), ['out', 'in', 'call']);
  assert.deepEqual(render.callOutcome(items[2].call),
    { title: 'Call forwarded', detail: 'forwarded to +1 (800) 555-0100', tone: 'ok' });
  assert.equal(render.callOutcome({ outcome: 'ringing' }).title, 'Calling…');
  assert.equal(render.callOutcome({ outcome: 'failed', error: 'app down' }).detail, 'app down');
  // Twilio's <Dial> that nobody took, in the words of its DialCallStatus.
  const unanswered = { outcome: 'unanswered', target: '+18005550100', dial_status: 'no-answer' };
  assert.deepEqual(render.callOutcome(unanswered),
    { title: 'Call not answered', detail: 'nobody at +1 (800) 555-0100 answered', tone: 'bad' });
  assert.equal(render.callOutcome({ ...unanswered, dial_status: 'busy' }).detail,
    '+1 (800) 555-0100 was busy');
  // An MMS keeps its pictures; a Tropo text has none.
  const withMedia = render.phoneTimeline({
    inbox: [{ from: '+12085550100', text: '', at: '2024-05-01T12:00:02Z',
      media: [{ content_type: 'image/png', url: '/twilio/cdn/ab' }] }],
    sent: [{ to: '+12085550100', text: 'hello', at: '2024-05-01T12:00:01Z' }],
  });
  assert.deepEqual(withMedia.map((item) => item.media.length), [0, 1]);
});

test('phone: web addresses in an SMS become links, everything else stays text', () => {
  const parts = render.smsParts('See the map\nmap.png: https://sb.example/api/files/ab12 ok');
  assert.deepEqual(parts, [
    { type: 'text', text: 'See the map\nmap.png: ' },
    { type: 'link', text: 'https://sb.example/api/files/ab12', href: 'https://sb.example/api/files/ab12' },
    { type: 'text', text: ' ok' },
  ]);
  assert.deepEqual(render.smsParts('javascript:alert(1) <b>x</b>'),
    [{ type: 'text', text: 'javascript:alert(1) <b>x</b>' }]);
  assert.deepEqual(render.smsParts(''), []);
});
