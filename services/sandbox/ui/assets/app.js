// The sandbox's demo page: a customer's phone (the SMS carrier's simulated phones) next to the
// agents' Spark (the Webex half's rooms), kept live by short polling of the admin APIs.
// Everything shown goes through textContent; nothing from the server becomes HTML.
import {
  ago, callOutcome, classify, composePost, formatNumber, hueOf, initials, mentionedNames,
  numberFromTitle, parseBridgePost, parseMarkdown, parsePlain, phoneTimeline, shortTime, smsParts,
  tidyNumber,
} from './render.js';
import { renderFiles, threadOrder } from './room_items.js';
import { deletePath, undoLabel, undoLeft } from './undo.js';

const kPollMs = 1000;
// A request the network lost must not stop the polls that wait for it: give up and poll again.
const kRequestTimeoutMs = 10000;
const kPresets = [
  { name: 'Tommy', number: '+12088675309' },
  { name: 'Ann', number: '+12085550123' },
  { name: 'Ana (UK)', number: '+447911123456' },
];

const $ = (id) => document.getElementById(id);

const state = {
  config: { companyNumber: '', companyName: 'Company' },
  team: { name: '' },
  people: [],
  rooms: [],
  roomId: null,
  history: { roomId: null, signature: '', items: [] },
  phone: localStorage.getItem('sandbox-ui.phone') || kPresets[0].number,
  phoneData: null,
  phoneSignature: '',
  attachment: null,  // a picture to send with the next text (Twilio only)
  seenCounts: new Map(),  // room id -> message count already seen
  online: null,
  busy: false,
};

// ---- Small DOM helpers ----------------------------------------------------------------------

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `icon icon-${name}`);
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  use.setAttribute('href', `#i-${name}`);
  svg.append(use);
  return svg;
}

function avatar(name, className = 'avatar') {
  const node = el('span', className, initials(name));
  node.dataset.hue = String(hueOf(name) % 12);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

function time(iso, className = 'time') {
  const node = el('time', className, shortTime(iso));
  if (iso) node.dateTime = iso;
  return node;
}

// Builds elements from render.js's blocks; text only ever lands in text nodes.
function renderBlocks(blocks) {
  const fragment = document.createDocumentFragment();
  let list = null;
  for (const block of blocks) {
    if (block.type === 'li') {
      if (!list) {
        list = el('ul', 'md-list');
        fragment.append(list);
      }
      const item = el('li');
      appendInline(item, block.children);
      list.append(item);
      continue;
    }
    list = null;
    const paragraph = el('p', 'md-p');
    appendInline(paragraph, block.children);
    fragment.append(paragraph);
  }
  return fragment;
}

function appendInline(parent, nodes) {
  for (const node of nodes) {
    if (node.type === 'text') {
      parent.append(document.createTextNode(node.text));
    } else if (node.type === 'strong' || node.type === 'em') {
      const child = el(node.type);
      appendInline(child, node.children);
      parent.append(child);
    } else if (node.type === 'code') {
      parent.append(el('code', null, node.text));
    } else if (node.type === 'mention') {
      const chip = el('span', 'mention', `@${node.name}`);
      if (node.email) chip.title = node.email;
      parent.append(chip);
    } else if (node.type === 'link') {
      if (node.href) {
        const link = el('a', null, node.text);
        link.href = node.href;
        link.rel = 'noopener noreferrer';
        link.target = '_blank';
        parent.append(link);
      } else {
        parent.append(document.createTextNode(node.text));
      }
    }
  }
}

let toastTimer = null;
function toast(message, tone = 'bad') {
  const node = $('toast');
  node.textContent = message;
  node.dataset.tone = tone;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.hidden = true; }, 5000);
}

// ---- The admin APIs ---------------------------------------------------------------------------

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    cache: 'no-store',
    signal: AbortSignal.timeout(kRequestTimeoutMs),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const reason = data?.error ?? data?.message ?? `HTTP ${response.status}`;
    const error = new Error(reason);
    error.status = response.status;
    throw error;
  }
  return data;
}

// The carrier-neutral phones: the sandbox's SMS_CARRIER (Twilio or Tropo) answers them.
const phonePath = (number) => `/sandbox/phones/${encodeURIComponent(number)}`;
const roomPath = (id) => `/sandbox/spark/rooms/${encodeURIComponent(id)}`;

function setOnline(online) {
  if (state.online === online) return;
  state.online = online;
  const live = $('live');
  live.dataset.state = online ? 'on' : 'off';
  $('live-text').textContent = online ? 'Live' : 'Sandbox unreachable, retrying…';
}

// ---- Tabs (phones and narrow windows show one half at a time) --------------------------------

function showTab(tab) {
  const stage = document.querySelector('.stage');
  stage.dataset.tab = tab;
  for (const name of ['phone', 'spark']) {
    const button = $(`tab-${name}`);
    button.setAttribute('aria-selected', String(name === tab));
    if (name === tab) button.querySelector('.tab-badge').hidden = true;
  }
}

function bumpTab(tab) {
  const stage = document.querySelector('.stage');
  if (stage.dataset.tab === tab) return;
  const badge = $(`tab-${tab}`).querySelector('.tab-badge');
  badge.textContent = String(Number(badge.textContent || 0) + 1);
  badge.hidden = false;
}

const narrow = () => window.matchMedia('(max-width: 900px)').matches;

// ---- The customer's phone ---------------------------------------------------------------------

function renderPresets() {
  const presets = $('presets');
  presets.replaceChildren();
  for (const preset of kPresets) {
    const button = el('button', 'preset');
    button.type = 'button';
    button.append(el('span', 'preset-name', preset.name));
    button.title = formatNumber(preset.number);
    button.setAttribute('aria-label', `Use ${preset.name}'s phone ${formatNumber(preset.number)}`);
    button.setAttribute('aria-pressed', String(preset.number === state.phone));
    button.addEventListener('click', () => choosePhone(preset.number));
    presets.append(button);
  }
}

async function choosePhone(raw) {
  const error = $('number-error');
  const tidy = tidyNumber(raw);
  // E.164 numbers have 8 to 15 digits; shorter or longer is a typo, not worth asking about.
  if (!/^\+\d{8,15}$/.test(tidy)) {
    error.textContent = tidy
      ? `"${raw.trim()}" is not a phone number the network knows.`
      : 'Type a phone number, e.g. +1 208 867 5309.';
    error.hidden = false;
    return;
  }
  try {
    const phone = await api('GET', phonePath(tidy));
    error.hidden = true;
    state.phone = phone.number;
    latest.phone += 1;  // polls still on their way are about the previous number
    state.phoneSignature = '';
    localStorage.setItem('sandbox-ui.phone', state.phone);
    // Keep a number typed while the page was still loading.
  if (!$('phone-number').value) $('phone-number').value = formatNumber(state.phone);
    renderPresets();
    renderPhone(phone);
  } catch (failure) {
    error.textContent = failure.status === 400
      ? `"${raw}" is not a phone number the network knows.` : failure.message;
    error.hidden = false;
  }
}

function renderPhone(phone) {
  const signature = JSON.stringify([phone.number, phone.inbox, phone.sent, phone.calls]);
  $('phone-owner').textContent = formatNumber(state.phone);
  if (signature === state.phoneSignature) return;
  const before = state.phoneData;
  const newIncoming = before && before.number === phone.number
    ? (phone.inbox?.length ?? 0) - (before.inbox?.length ?? 0) : 0;
  state.phoneSignature = signature;
  state.phoneData = phone;
  for (let i = 0; i < newIncoming; i += 1) bumpTab('phone');

  const thread = $('thread');
  const nearBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
  thread.replaceChildren();
  const items = phoneTimeline(phone);
  if (!items.length) {
    const empty = el('li', 'thread-empty');
    empty.append(el('strong', null, 'No messages yet'),
      el('span', null, `Text ${state.config.companyName} or call them to start.`));
    thread.append(empty);
  }
  let lastDay = '';
  for (const item of items) {
    const day = item.at ? new Date(item.at).toDateString() : '';
    if (day && day !== lastDay) {
      const when = new Date(item.at);
      const label = day === new Date().toDateString() ? 'Today'
        : when.toLocaleDateString([], { weekday: 'long', month: 'short', day: 'numeric' });
      const divider = el('li', 'thread-day');
      divider.append(el('span', null, label), document.createTextNode(' '),
        el('span', null, when.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })));
      thread.append(divider);
      lastDay = day;
    }
    if (item.kind === 'call') {
      thread.append(renderCall(item.call));
      continue;
    }
    const bubble = el('li', `bubble bubble-${item.kind}`);
    bubble.dataset.kind = item.kind === 'in' ? 'received' : 'sent';
    for (const picture of item.media ?? []) bubble.append(renderPicture(picture));
    if (item.text) bubble.append(smsText(item.text));
    bubble.append(time(item.at, 'bubble-time'));
    thread.append(bubble);
  }
  if (nearBottom || newIncoming || !before || before.number !== phone.number) {
    thread.scrollTop = thread.scrollHeight;
  }
}

// An SMS's words, its web addresses as links that open beside the demo (an agent's file).
function smsText(text) {
  const span = el('span', 'bubble-text');
  for (const part of smsParts(text)) {
    if (part.type !== 'link') {
      span.append(document.createTextNode(part.text));
      continue;
    }
    const link = el('a', 'sms-link', part.text);
    link.href = part.href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    span.append(link);
  }
  return span;
}

// An MMS picture the sandbox holds (its own /twilio/cdn/ path) is shown; anything else (a URL a
// TwiML reply named) stays a link's text, so the page never loads from elsewhere.
function renderPicture(picture) {
  const url = String(picture.url ?? '');
  if (url.startsWith('/') && !url.startsWith('//')) {
    const img = el('img', 'bubble-picture');
    img.src = url;
    img.alt = 'Picture';
    // A picture grows the thread once it has loaded: a thread read at its end stays there.
    img.addEventListener('load', () => {
      const thread = $('thread');
      if (thread.scrollHeight - thread.scrollTop - thread.clientHeight < img.height + 80) {
        thread.scrollTop = thread.scrollHeight;
      }
    });
    return img;
  }
  return el('span', 'bubble-link', url);
}

function renderCall(call) {
  const outcome = callOutcome(call);
  const card = el('li', `call-card tone-${outcome.tone}`);
  card.dataset.outcome = call.outcome;
  const badge = el('span', 'call-icon');
  badge.append(icon(outcome.tone === 'ok' ? 'forward' : 'phone'));
  const body = el('div', 'call-body');
  const top = el('div', 'call-top');
  top.append(el('strong', 'call-title', outcome.title), time(call.started_at, 'call-time'));
  body.append(top, el('span', 'call-detail', outcome.detail || `Call to ${state.config.companyName}`));
  for (const said of call.heard ?? []) body.append(el('q', 'call-heard', said));
  card.append(badge, body);
  return card;
}

// Polls overlap (the timer, and a refresh right after an action): only the answer to the
// latest request is shown, so an older answer never rolls the screen back.
const latest = { phone: 0, rooms: 0, history: 0 };

async function pollPhone() {
  const ticket = ++latest.phone;
  const phone = await api('GET', phonePath(state.phone));
  if (ticket === latest.phone && phone.number === state.phone) renderPhone(phone);
}

async function pollKnownPhones() {
  const data = await api('GET', '/sandbox/phones');
  const list = $('known-phones');
  const numbers = (data.phones ?? []).map((phone) => phone.number);
  const current = [...list.children].map((option) => option.value);
  if (JSON.stringify(numbers) === JSON.stringify(current)) return;
  list.replaceChildren(...numbers.map((number) => {
    const option = el('option');
    option.value = number;
    option.label = formatNumber(number);
    return option;
  }));
}

async function sendSms(event) {
  event.preventDefault();
  const box = $('sms-text');
  const text = box.value.trim();
  const picture = state.attachment;
  if (!text && !picture) {
    box.focus();
    return;
  }
  $('sms-send').disabled = true;
  try {
    const body = picture
      ? { text, media: [{ content_type: picture.contentType, data_base64: picture.base64 }] }
      : { text };
    await api('POST', `${phonePath(state.phone)}/sms`, body);
    box.value = '';
    autosize(box);
    clearAttachment();
    await pollPhone();
  } catch (failure) {
    toast(`The text was not sent: ${failure.message}`);
  } finally {
    $('sms-send').disabled = false;
    box.focus();
  }
}

// A picture to send by MMS: scaled down to at most 1024 px as a JPEG, so it fits the sandbox's
// 1 MB request limit once in base64.
async function attachPicture(file) {
  if (!file) return;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1024 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const dataUrl = canvas.toDataURL('image/jpeg', 0.85);
    state.attachment = { contentType: 'image/jpeg', base64: dataUrl.slice(dataUrl.indexOf(',') + 1) };
    $('sms-attachment-preview').src = dataUrl;
    $('sms-attachment').hidden = false;
  } catch {
    toast('That file is no picture the phone can send.');
  } finally {
    $('sms-picture').value = '';
  }
}

function clearAttachment() {
  state.attachment = null;
  $('sms-attachment').hidden = true;
  $('sms-attachment-preview').removeAttribute('src');
}

async function placeCall() {
  const button = $('call-button');
  button.disabled = true;
  try {
    await api('POST', `${phonePath(state.phone)}/call`, {});
    await pollPhone();
  } catch (failure) {
    toast(`The call did not go through: ${failure.message}`);
  } finally {
    setTimeout(() => { button.disabled = false; }, 800);
  }
}

// ---- The agents' Spark ------------------------------------------------------------------------

const agents = () => state.people.filter((person) => person.teamMember && !person.isProxy);

function renderAgents() {
  const select = $('agent');
  const chosen = select.value || localStorage.getItem('sandbox-ui.agent') || agents()[0]?.email;
  select.replaceChildren(...agents().map((person) => {
    const option = el('option', null,
      `${person.displayName}${person.status && person.status !== 'active' ? ` (${person.status})` : ''}`);
    option.value = person.email;
    return option;
  }));
  if (chosen) select.value = chosen;
  renderMentionChips();
}

function renderMentionChips() {
  const me = $('agent').value;
  const chips = $('mention-chips');
  chips.replaceChildren(...agents().filter((person) => person.email !== me).map((person) => {
    const chip = el('button', 'chip');
    chip.type = 'button';
    chip.dataset.status = person.status ?? 'unknown';
    chip.append(el('span', 'presence'), document.createTextNode(`@${person.firstName}`));
    chip.setAttribute('aria-label', `Whisper to ${person.displayName}`);
    chip.addEventListener('click', () => insertMention(person));
    return chip;
  }));
}

function insertMention(person) {
  const box = $('post-text');
  const tag = `@${person.firstName} `;
  if (!box.value.toLowerCase().includes(`@${person.firstName.toLowerCase()}`)) {
    box.value = box.value ? `${tag}${box.value}` : tag;
  }
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
  updatePostMode();
}

function isCustomerRoom(room) {
  return Boolean(room && numberFromTitle(room.title)) && !room.isGeneral;
}

function updatePostMode() {
  const room = currentRoom();
  const names = mentionedNames($('post-text').value, agents());
  const mode = $('post-mode');
  const send = $('post-send');
  const form = $('post-form');
  if (names.length) {
    form.dataset.mode = 'whisper';
    mode.replaceChildren(icon('lock'), document.createTextNode(
      ` Whisper to ${names.join(', ')}: stays in this room, the customer never sees it.`));
    send.textContent = 'Whisper';
  } else if (isCustomerRoom(room)) {
    form.dataset.mode = 'reply';
    mode.replaceChildren(icon('sms'), document.createTextNode(
      ` Goes to ${formatNumber(numberFromTitle(room.title))} by SMS.`));
    send.textContent = 'Send';
  } else {
    form.dataset.mode = 'team';
    mode.textContent = 'Posts in the team room.';
    send.textContent = 'Send';
  }
}

function sortRooms(rooms) {
  return [...rooms].sort((a, b) => (Date.parse(b.lastActivity) || 0) - (Date.parse(a.lastActivity) || 0)
    || (a.title < b.title ? -1 : 1));
}

function currentRoom() {
  return state.rooms.find((room) => room.id === state.roomId) ?? null;
}

function renderRooms() {
  const list = $('room-list');
  const rooms = state.rooms;
  $('room-count').textContent = rooms.length === 1 ? '1 room' : `${rooms.length} rooms`;
  const items = rooms.map((room) => {
    const item = el('li', 'room-item');
    const button = el('button', 'room-button');
    button.type = 'button';
    button.dataset.roomId = room.id;
    if (room.id === state.roomId) button.setAttribute('aria-current', 'true');
    const number = numberFromTitle(room.title);
    const face = room.isGeneral ? el('span', 'avatar avatar-team') : avatar(room.title);
    if (room.isGeneral) face.append(icon('team'));
    const text = el('span', 'room-text');
    const top = el('span', 'room-line');
    top.append(el('span', 'room-name', room.title), el('span', 'room-when', ago(room.lastActivity)));
    const bottom = el('span', 'room-line room-meta');
    const kind = room.isGeneral ? 'Team room'
      : number ? `Customer · ${formatNumber(number)}` : 'Room';
    bottom.append(el('span', null, kind));
    const unread = room.messageCount - (state.seenCounts.get(room.id) ?? room.messageCount);
    if (unread > 0 && room.id !== state.roomId) {
      bottom.append(el('span', 'unread', String(unread)));
      item.classList.add('has-unread');
    }
    text.append(top, bottom);
    button.append(face, text);
    button.addEventListener('click', () => selectRoom(room.id));
    item.append(button);
    return item;
  });
  if (!items.length) {
    const empty = el('li', 'room-list-empty', 'No rooms yet. A customer\'s first message creates one.');
    items.push(empty);
  }
  list.replaceChildren(...items);
}

function renderRoomHeader() {
  const room = currentRoom();
  const has = Boolean(room);
  $('room-empty').hidden = has;
  $('room-head').hidden = !has;
  $('history').hidden = !has;
  $('post-form').hidden = !has;
  if (!has) {
    $('rename-form').hidden = true;
    return;
  }
  $('room-title').textContent = room.title;
  const sub = $('room-sub');
  const number = numberFromTitle(room.title);
  if (room.isGeneral) {
    sub.textContent = `${state.team.name || 'Team'} · general room`;
  } else if (number) {
    const open = el('button', 'link-button', 'open on the phone');
    open.type = 'button';
    open.addEventListener('click', () => {
      choosePhone(number);
      if (narrow()) showTab('phone');
    });
    sub.replaceChildren(document.createTextNode(`Customer ${formatNumber(number)} · `), open);
  } else {
    sub.textContent = 'No customer number in the title';
  }
  updatePostMode();
}

function renderHistory(items) {
  const history = $('history');
  const nearBottom = history.scrollHeight - history.scrollTop - history.clientHeight < 120;
  const room = currentRoom();
  const nodes = [];
  let previous = null;
  for (const { message, reply } of threadOrder(items)) {
    const kind = classify(message);
    const node = el('li', `msg msg-${kind}`);
    node.dataset.kind = kind;
    node.dataset.messageId = message.id;
    if (reply) {
      node.classList.add('msg-reply');  // in its parent's thread (room_items.js)
      node.dataset.parentId = message.parentId;
    }
    const author = message.authorName || message.personEmail || 'Someone';
    const grouped = previous && previous.personId === message.personId && previous.kind === kind &&
      previous.reply === reply && kind !== 'customer' &&
      (Date.parse(message.created) - Date.parse(previous.created)) < 120000;
    if (grouped) node.classList.add('msg-grouped');
    if (grouped) {
      node.append(el('span', 'avatar-space'));
    } else if (message.fromProxy) {
      const face = el('span', 'avatar avatar-bridge');
      face.setAttribute('aria-hidden', 'true');
      face.append(icon('logo'));
      node.append(face);
    } else {
      node.append(avatar(author));
    }
    const body = el('div', 'msg-body');
    const head = el('div', 'msg-head');
    head.append(el('span', 'msg-author', author), time(message.created, 'msg-time'));
    if (kind === 'customer') {
      const post = parseBridgePost(message.markdown ?? message.text);
      const pill = el('span', `pill pill-${post.channel}`);
      pill.append(icon(post.channel === 'web' ? 'web' : post.channel === 'voice' ? 'phone' : 'sms'),
        document.createTextNode(`Customer · ${post.label}`));
      head.append(pill);
      body.append(head);
      if (post.details.length) {
        const details = post.details.map((detail) =>
          detail.replace(/\+1\d{10}\b/g, (number) => formatNumber(number)));
        body.append(el('div', 'msg-details', details.join(' · ')));
      }
      const content = el('div', 'msg-content');
      content.append(renderBlocks(parseMarkdown(post.body)));
      body.append(content, renderFiles(message));
    } else {
      if (!grouped) {
        if (kind === 'whisper') {
          const pill = el('span', 'pill pill-whisper');
          pill.append(icon('lock'), document.createTextNode('Whisper · not sent to the customer'));
          head.append(pill);
        } else if (kind === 'note') {
          head.append(el('span', 'pill pill-note', 'Bridge note'));
        } else if (isCustomerRoom(room)) {
          const pill = el('span', 'pill pill-reply');
          pill.append(icon('sms'), document.createTextNode('Reply · texted to the customer'));
          head.append(pill);
        }
        body.append(head);
      }
      const left = undoLeft(message, kind, isCustomerRoom(room), state.config.undoSeconds,
        Date.now());
      if (left > 0) body.append(undoButton(message, left));
      const content = el('div', 'msg-content');
      content.append(renderBlocks(message.markdown ? parseMarkdown(message.markdown)
        : parsePlain(message.text)));
      body.append(content, renderFiles(message));
    }
    node.append(body);
    nodes.push(node);
    previous = { personId: message.personId, kind, created: message.created, reply };
  }
  if (!nodes.length) {
    nodes.push(el('li', 'history-empty', 'No messages in this room yet.'));
  }
  history.replaceChildren(...nodes);
  if (nearBottom || state.history.fresh) history.scrollTop = history.scrollHeight;
  state.history.fresh = false;
}

// ---- Undo send (undo.js) -------------------------------------------------------------------

// A reply's delete button, counting down its undo window; gone when the window ends.
function undoButton(message, left) {
  const button = el('button', 'undo-button', undoLabel(left));
  button.type = 'button';
  button.dataset.undoEnds = String(Date.now() + left);
  button.title = 'Delete this reply in Webex: the customer never gets it';
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api('DELETE', deletePath(message.id));
      toast('Reply deleted: not sent to the customer');
      await loadHistory(true);
    } catch (failure) {
      button.disabled = false;
      toast(`Could not delete the reply: ${failure.message}`);
    }
  });
  return button;
}

function tickUndoButtons() {
  for (const button of document.querySelectorAll('.undo-button')) {
    const left = Number(button.dataset.undoEnds) - Date.now();
    if (left <= 0) button.remove();
    else button.textContent = undoLabel(left);
  }
}

async function loadHistory(force = false) {
  const room = currentRoom();
  if (!room) return;
  const signature = `${room.id}|${room.messageCount}|${room.lastActivity}|${room.title}`;
  if (!force && state.history.signature === signature) return;
  const ticket = ++latest.history;
  const data = await api('GET', `${roomPath(room.id)}/messages`);
  if (state.roomId !== room.id || ticket !== latest.history) return;
  state.history.signature = signature;
  state.history.items = data.items ?? [];
  state.seenCounts.set(room.id, state.history.items.length);
  renderHistory(state.history.items);
}

function selectRoom(id) {
  if (state.roomId !== id) {
    state.roomId = id;
    state.history = { roomId: id, signature: '', items: [], fresh: true };
    $('rename-form').hidden = true;
    $('history').replaceChildren();
  }
  document.querySelector('.spark').dataset.view = 'room';
  renderRooms();
  renderRoomHeader();
  loadHistory(true).catch((failure) => toast(`Could not load the room: ${failure.message}`));
}

async function pollRooms() {
  const ticket = ++latest.rooms;
  const data = await api('GET', '/sandbox/spark/rooms');
  if (ticket !== latest.rooms) return;
  const rooms = sortRooms((data.items ?? []).filter((room) =>
    !state.team.id || !room.teamId || room.teamId === state.team.id));
  let grew = false;
  for (const room of rooms) {
    if (!state.seenCounts.has(room.id)) {
      // Rooms that exist when the page opens count as read; new ones start unread.
      state.seenCounts.set(room.id, state.rooms.length || state.loadedRooms ? 0 : room.messageCount);
    }
    const old = state.rooms.find((known) => known.id === room.id);
    if (state.loadedRooms && (!old || room.messageCount > old.messageCount)) grew = true;
  }
  state.loadedRooms = true;
  if (grew) bumpTab('spark');
  const changed = JSON.stringify(rooms) !== JSON.stringify(state.rooms);
  state.rooms = rooms;
  if (!state.roomId && rooms.length && !narrow()) {
    const first = rooms.find((room) => !room.isGeneral) ?? rooms[0];
    selectRoom(first.id);
    return;
  }
  if (changed) {
    renderRooms();
    if (!$('rename-form').hidden && currentRoom()) {
      // Leave the rename box alone while someone types in it.
    } else {
      renderRoomHeader();
    }
  }
  await loadHistory();
  renderRoomsTimes();
}

// The "5 min" labels age even when nothing changes.
function renderRoomsTimes() {
  for (const button of document.querySelectorAll('.room-button')) {
    const room = state.rooms.find((candidate) => candidate.id === button.dataset.roomId);
    const label = button.querySelector('.room-when');
    if (room && label) label.textContent = ago(room.lastActivity);
  }
}

async function postMessage(event) {
  event.preventDefault();
  const room = currentRoom();
  const box = $('post-text');
  const typed = box.value.trim();
  if (!room || !typed) {
    box.focus();
    return;
  }
  const post = composePost(typed, agents());
  const body = { as: $('agent').value };
  if (post.markdown) body.markdown = post.markdown;
  else body.text = post.text;
  $('post-send').disabled = true;
  try {
    await api('POST', `${roomPath(room.id)}/messages`, body);
    box.value = '';
    autosize(box);
    updatePostMode();
    state.history.fresh = true;
    await pollRooms();
  } catch (failure) {
    toast(`Not posted: ${failure.message}`);
  } finally {
    $('post-send').disabled = false;
    box.focus();
  }
}

function openRename() {
  const room = currentRoom();
  if (!room) return;
  const input = $('rename-input');
  input.value = room.title;
  $('rename-error').hidden = true;
  $('rename-form').hidden = false;
  input.focus();
  input.setSelectionRange(0, 0);
}

async function saveRename(event) {
  event.preventDefault();
  const room = currentRoom();
  const title = $('rename-input').value.trim();
  const error = $('rename-error');
  const number = numberFromTitle(room?.title);
  if (!room || !title) {
    error.textContent = 'Give the room a title.';
    error.hidden = false;
    return;
  }
  if (number && numberFromTitle(title) !== number) {
    error.textContent = `Keep ${room.title.match(/\S+$/)[0]} at the end of the title, so replies still reach this customer.`;
    error.hidden = false;
    return;
  }
  try {
    await api('PUT', roomPath(room.id), { title });
    $('rename-form').hidden = true;
    await pollRooms();
    renderRoomHeader();
  } catch (failure) {
    error.textContent = `Not renamed: ${failure.message}`;
    error.hidden = false;
  }
}

// ---- Wiring -----------------------------------------------------------------------------------

function autosize(box) {
  box.style.height = 'auto';
  box.style.height = `${Math.min(box.scrollHeight, 160)}px`;
}

function submitOnEnter(event, form) {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
}

async function poll() {
  try {
    await Promise.all([pollRooms(), pollPhone()]);
    setOnline(true);
  } catch (failure) {
    setOnline(false);
    console.warn('sandbox poll failed:', failure.message);
  }
  setTimeout(poll, kPollMs);
}

async function slowPoll() {
  try {
    await pollKnownPhones();
    const people = await api('GET', '/sandbox/spark/people');
    const next = people.items ?? [];
    if (JSON.stringify(next) !== JSON.stringify(state.people)) {
      state.people = next;
      renderAgents();
    }
  } catch {
    // The fast poll reports the sandbox being away.
  }
  setTimeout(slowPoll, 5000);
}

function tickClock() {
  $('device-clock').textContent = new Date().toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })
    .replace(/\s?[AP]M$/i, '');
}

async function main() {
  const [config, spark] = await Promise.all([
    api('GET', '/sandbox/ui/config'),
    api('GET', '/sandbox/spark/state'),
  ]);
  state.config = config;
  state.team = spark.team ?? {};
  state.people = spark.people ?? [];
  $('company-name').textContent = config.companyName;
  $('company-number').textContent = formatNumber(config.companyNumber);
  $('team-name').textContent = state.team.name || 'Team';
  $('call-button').setAttribute('aria-label', `Call ${config.companyName}`);
  $('phone-number').value = formatNumber(state.phone);
  renderPresets();
  renderAgents();
  tickClock();
  setInterval(tickClock, 15000);
  setInterval(tickUndoButtons, 250);

  $('tab-phone').addEventListener('click', () => showTab('phone'));
  $('tab-spark').addEventListener('click', () => showTab('spark'));
  $('number-form').addEventListener('submit', (event) => {
    event.preventDefault();
    choosePhone($('phone-number').value);
  });
  $('sms-form').addEventListener('submit', sendSms);
  $('sms-text').addEventListener('keydown', (event) => submitOnEnter(event, $('sms-form')));
  $('sms-text').addEventListener('input', (event) => autosize(event.target));
  $('call-button').addEventListener('click', placeCall);
  // Only Twilio carries pictures (MMS); with Tropo the phone sends text only.
  $('sms-attach').hidden = config.carrier !== 'twilio';
  $('sms-attach').addEventListener('click', () => $('sms-picture').click());
  $('sms-picture').addEventListener('change', (event) => attachPicture(event.target.files?.[0]));
  $('sms-attachment-remove').addEventListener('click', clearAttachment);
  $('post-form').addEventListener('submit', postMessage);
  $('post-text').addEventListener('keydown', (event) => submitOnEnter(event, $('post-form')));
  $('post-text').addEventListener('input', (event) => {
    autosize(event.target);
    updatePostMode();
  });
  $('agent').addEventListener('change', () => {
    localStorage.setItem('sandbox-ui.agent', $('agent').value);
    renderMentionChips();
  });
  $('rename-button').addEventListener('click', openRename);
  $('rename-form').addEventListener('submit', saveRename);
  $('rename-cancel').addEventListener('click', () => { $('rename-form').hidden = true; });
  $('room-back').addEventListener('click', () => {
    document.querySelector('.spark').dataset.view = 'list';
  });

  poll();
  slowPoll();
  // Controls work from here on (tests wait for this before they click).
  document.body.dataset.ready = 'true';
}

main().catch((failure) => {
  setOnline(false);
  toast(`The sandbox did not answer: ${failure.message}`);
  setTimeout(() => window.location.reload(), 3000);
});
