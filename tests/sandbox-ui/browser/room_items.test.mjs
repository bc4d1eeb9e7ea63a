// The rooms half's helpers for files and threads (services/sandbox/ui/assets/room_items.js), in
// Node without a browser: replies follow their parent, only the sandbox's own content paths are
// shown, pictures inline and anything else as a link.
//
//   node room_items.test.mjs [path to room_items.js]
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? join(here, '../../../services/sandbox/ui/assets/room_items.js');
const items = await import(
  `data:text/javascript;base64,${Buffer.from(readFileSync(source)).toString('base64')}`);

test('threads: each reply follows its parent, oldest first; orphans stay in place', () => {
  const history = [
    { id: 'a' }, { id: 'b' }, { id: 'r1', parentId: 'a' }, { id: 'c' },
    { id: 'r2', parentId: 'a' }, { id: 'r3', parentId: 'gone' },
  ];
  const ordered = items.threadOrder(history);
  assert.deepEqual(ordered.map(({ message, reply }) => `${message.id}${reply ? '>' : ''}`),
    ['a', 'r1>', 'r2>', 'b', 'c', 'r3']);
  assert.deepEqual(items.threadOrder(undefined), []);
});

test('files: pictures inline, other files as links, only the sandbox\'s content paths', () => {
  const views = items.fileViews({ fileDetails: [
    { path: '/sandbox/spark/contents/Y29udGVudA', contentType: 'image/png', filename: 'cat.png',
      size: 2048 },
    { path: '/sandbox/spark/contents/abc', contentType: 'application/pdf', filename: 'bill.pdf' },
    { path: '/sandbox/spark/contents/svg', contentType: 'image/svg+xml', filename: 'x.svg' },
    { path: 'https://elsewhere.example/x.png', contentType: 'image/png' },
    { path: '/sandbox/spark/contents/../state', contentType: 'image/png' },
  ] });
  assert.deepEqual(views.map((view) => [view.kind, view.src, view.label]), [
    ['image', '/sandbox/spark/contents/Y29udGVudA', 'cat.png · 2.0 KB'],
    ['link', '/sandbox/spark/contents/abc', 'bill.pdf'],
    ['link', '/sandbox/spark/contents/svg', 'x.svg'],  // an SVG may script: a link, not inline
  ]);
  assert.deepEqual(items.fileViews({}), []);
  assert.equal(items.fileSize(500), '500 B');
  assert.equal(items.fileSize(3 * 1024 * 1024), '3.0 MB');
});
