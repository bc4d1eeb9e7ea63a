// Undo send's helpers in the rooms half (services/sandbox/ui/assets/undo.js), in Node without a
// browser: the delete button shows only on an agent's reply in a customer's room, only inside
// its window, and counts down.
//
//   node undo.test.mjs [path to undo.js]
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? join(here, '../../../services/sandbox/ui/assets/undo.js');
const undo = await import(
  `data:text/javascript;base64,${Buffer.from(readFileSync(source)).toString('base64')}`);

const posted = Date.parse('2026-12-01T17:00:00.000Z');
const reply = { id: 'Y2lz/bWVzc2FnZQ==', created: '2026-12-01T17:00:00.000Z' };

test('the window: a reply in a customer room, from its created time, while undo is on', () => {
  assert.equal(undo.undoLeft(reply, 'reply', true, 10, posted), 10000);
  assert.equal(undo.undoLeft(reply, 'reply', true, 10, posted + 9500), 500);
  assert.equal(undo.undoLeft(reply, 'reply', true, 10, posted + 10000), 0);
  assert.equal(undo.undoLeft(reply, 'reply', true, 10, posted + 60000), 0);
});

test('no window: whispers, notes, other rooms, undo off, no time', () => {
  assert.equal(undo.undoLeft(reply, 'whisper', true, 10, posted), 0);
  assert.equal(undo.undoLeft(reply, 'note', true, 10, posted), 0);
  assert.equal(undo.undoLeft(reply, 'reply', false, 10, posted), 0);
  assert.equal(undo.undoLeft(reply, 'reply', true, 0, posted), 0);
  assert.equal(undo.undoLeft(reply, 'reply', true, undefined, posted), 0);
  assert.equal(undo.undoLeft({ id: 'x' }, 'reply', true, 10, posted), 0);
  assert.equal(undo.undoLeft({ id: 'x', created: 'soon' }, 'reply', true, 10, posted), 0);
});

test('the label counts whole seconds up, the path is encoded', () => {
  assert.equal(undo.undoLabel(10000), 'Undo (10 s)');
  assert.equal(undo.undoLabel(9001), 'Undo (10 s)');
  assert.equal(undo.undoLabel(200), 'Undo (1 s)');
  assert.equal(undo.deletePath(reply.id), '/sandbox/spark/messages/Y2lz%2FbWVzc2FnZQ%3D%3D');
});
