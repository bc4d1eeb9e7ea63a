// What a room's messages carry beyond their words, for the rooms half of the page: files (a
// picture shown inline, anything else as a download link) and threads (a reply shown under its
// parent). The pure parts (threadOrder, fileViews) run in Node as they are; renderFiles builds
// elements with createElement and textContent only, never innerHTML.

// The room's messages in the order they are shown: each top-level message followed by its
// replies (oldest first). A reply whose parent is not in the history stays where it came.
// Returns [{message, reply}] where `reply` says it is shown in its parent's thread.
export function threadOrder(items) {
  const list = items ?? [];
  const ids = new Set(list.map((message) => message.id));
  const replies = new Map();
  for (const message of list) {
    if (message.parentId && ids.has(message.parentId)) {
      if (!replies.has(message.parentId)) replies.set(message.parentId, []);
      replies.get(message.parentId).push(message);
    }
  }
  const ordered = [];
  for (const message of list) {
    if (message.parentId && ids.has(message.parentId)) continue;  // shown under its parent
    ordered.push({ message, reply: false });
    for (const reply of replies.get(message.id) ?? []) ordered.push({ message: reply, reply: true });
  }
  return ordered;
}

// "2.0 KB": a file's size as the link shows it.
export function fileSize(bytes) {
  const size = Number(bytes);
  if (!Number.isFinite(size) || size < 0) return '';
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

// How each of a message's files is shown. The sandbox's history names each file's admin path
// (`/sandbox/spark/contents/{id}`, served without a token: the page never holds one), type and
// name. Only such same-origin paths are used; an image type is shown inline, anything else is
// a download link.
export function fileViews(message) {
  const views = [];
  for (const file of message?.fileDetails ?? []) {
    const path = String(file?.path ?? '');
    if (!/^\/sandbox\/spark\/contents\/[A-Za-z0-9_=-]+$/.test(path)) continue;
    const name = String(file.filename || 'file');
    const type = String(file.contentType ?? '').toLowerCase();
    const kind = /^image\/(png|jpe?g|gif|webp|bmp)$/.test(type) ? 'image' : 'link';
    const size = fileSize(file.size);
    views.push({ kind, src: path, name, label: size ? `${name} · ${size}` : name });
  }
  return views;
}

// The files of `message` as elements (an empty fragment when it has none).
export function renderFiles(message) {
  const fragment = document.createDocumentFragment();
  for (const view of fileViews(message)) {
    const figure = document.createElement('figure');
    figure.className = `msg-file msg-file-${view.kind}`;
    if (view.kind === 'image') {
      const link = document.createElement('a');
      link.href = view.src;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      const image = document.createElement('img');
      image.src = view.src;
      image.alt = view.name;
      image.loading = 'lazy';
      link.append(image);
      figure.append(link);
    }
    const caption = document.createElement('figcaption');
    const download = document.createElement('a');
    download.href = view.src;
    download.download = view.name;
    download.textContent = view.label;
    caption.append(download);
    figure.append(caption);
    fragment.append(figure);
  }
  return fragment;
}
