// Pure helpers of the sandbox UI: no DOM, no network, so Node can test them as they are.
// Everything that turns provider data into something shown lives here; app.js only puts the
// results on the page with textContent and createElement, never innerHTML.

// ---- Phone numbers --------------------------------------------------------------------------

// "+12088675309" -> "+1 (208) 867-5309"; other countries stay E.164 (grouping them right needs
// libphonenumber's metadata, which the browser does not have).
export function formatNumber(number) {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number ?? '');
  if (nanp) return `+1 (${nanp[1]}) ${nanp[2]}-${nanp[3]}`;
  return number ?? '';
}

// The customer number a room title ends with, as the router reads it: a trailing "+<digits>"
// is E.164, a trailing 10-digit number is North American. null when the title ends otherwise.
export function numberFromTitle(title) {
  const text = (title ?? '').trim();
  const e164 = /(?:^|[^\d+])(\+\d{7,15})$/.exec(text);
  if (e164) return e164[1];
  const national = /(?:^|\D)(\d{10})$/.exec(text);
  if (national) return `+1${national[1]}`;
  return null;
}

// What a person typed into the number box, tidied for the sandbox (which checks it for real).
export function tidyNumber(raw) {
  const text = (raw ?? '').trim();
  const digits = text.replace(/[^\d]/g, '');
  if (text.startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return digits ? `+${digits}` : '';
}

// ---- Times ------------------------------------------------------------------------------------

export function parseTime(iso) {
  const time = Date.parse(iso ?? '');
  return Number.isNaN(time) ? null : new Date(time);
}

// "14:03" today, "Mon 14:03" this week, "Mar 3, 14:03" before that.
export function shortTime(iso, now = new Date()) {
  const time = parseTime(iso);
  if (!time) return '';
  const clock = time.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
  if (time.toDateString() === now.toDateString()) return clock;
  const days = (now - time) / 86400000;
  if (days < 6 && days > 0) return `${time.toLocaleDateString([], { weekday: 'short' })} ${clock}`;
  return `${time.toLocaleDateString([], { month: 'short', day: 'numeric' })}, ${clock}`;
}

// "now", "5 min", "3 h", then a date: how long ago a room was active.
export function ago(iso, now = new Date()) {
  const time = parseTime(iso);
  if (!time) return '';
  const seconds = Math.max(0, (now - time) / 1000);
  if (seconds < 45) return 'now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h`;
  return time.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

export function initials(name) {
  const words = (name ?? '').replace(/[^\p{L}\p{N}\s]/gu, ' ').trim().split(/\s+/).filter(Boolean);
  const letters = words.filter((word) => /^\p{L}/u.test(word));
  if (letters.length >= 2) return (letters[0][0] + letters[1][0]).toUpperCase();
  if (letters.length === 1) return letters[0].slice(0, 2).toUpperCase();
  return '#';
}

// A stable hue per name, for avatars.
export function hueOf(text) {
  let hash = 0;
  for (const char of text ?? '') hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return hash % 360;
}

// ---- Markdown (the subset Webex messages use) -------------------------------------------------
//
// parseMarkdown returns blocks of inline nodes; nodes are plain objects:
//   {type:'text', text} {type:'strong'|'em', children} {type:'code', text}
//   {type:'mention', name, email} {type:'link', text, href}
// A block is {type:'p'|'li', children}. Nothing here is HTML: app.js builds elements from it.

// CommonMark: a backslash escapes any ASCII punctuation.
const kEscapable = /[!-/:-@[-`{-~]/;

function parseInline(source) {
  const nodes = [];
  let text = '';
  const flush = () => {
    if (text) nodes.push({ type: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    const rest = source.slice(i);
    if (char === '\\' && i + 1 < source.length && kEscapable.test(source[i + 1])) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    const mention = /^<@(personEmail|personId):([^>|]+)(?:\|([^>]*))?>/.exec(rest);
    if (mention) {
      flush();
      nodes.push({ type: 'mention', name: mention[3] || mention[2],
        email: mention[1] === 'personEmail' ? mention[2] : '' });
      i += mention[0].length;
      continue;
    }
    if (rest.startsWith('<@all>')) {
      flush();
      nodes.push({ type: 'mention', name: 'all', email: '' });
      i += 6;
      continue;
    }
    if (char === '`') {
      const end = source.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        nodes.push({ type: 'code', text: source.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (rest.startsWith('**') || rest.startsWith('__')) {
      const mark = rest.slice(0, 2);
      const end = source.indexOf(mark, i + 2);
      if (end > i + 2) {
        flush();
        nodes.push({ type: 'strong', children: parseInline(source.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if ((char === '*' || char === '_') && source[i + 1] && source[i + 1] !== ' ') {
      const end = source.indexOf(char, i + 1);
      if (end > i + 1 && source[end - 1] !== ' ') {
        flush();
        nodes.push({ type: 'em', children: parseInline(source.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (char === '[') {
      const link = /^\[([^\]]*)\]\(((?:[^()\s]|\([^()\s]*\))+)\)/.exec(rest);
      if (link) {
        flush();
        nodes.push({ type: 'link', text: link[1] || link[2], href: safeHref(link[2]) });
        i += link[0].length;
        continue;
      }
    }
    text += char;
    i += 1;
  }
  flush();
  return nodes;
}

// Only web links are followed; anything else (javascript:, data:) is shown, not linked.
export function safeHref(url) {
  return /^https?:\/\//i.test(url ?? '') ? url : '';
}

export function parseMarkdown(markdown) {
  const blocks = [];
  let paragraph = [];
  const endParagraph = () => {
    if (paragraph.length) blocks.push({ type: 'p', children: parseInline(paragraph.join('\n')) });
    paragraph = [];
  };
  for (const line of (markdown ?? '').replace(/\r/g, '').split('\n')) {
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (!line.trim()) {
      endParagraph();
    } else if (item) {
      endParagraph();
      blocks.push({ type: 'li', children: parseInline(item[1]) });
    } else {
      paragraph.push(line.replace(/^#{1,6}\s+/, ''));
    }
  }
  endParagraph();
  return blocks;
}

// Plain text as blocks too, so both kinds of message render the same way.
export function parsePlain(text) {
  return (text ?? '').replace(/\r/g, '').split(/\n{2,}/).filter((part) => part.length)
    .map((part) => ({ type: 'p', children: [{ type: 'text', text: part }] }));
}

// An SMS as the phone shows it: its text, with each web address a link (Switchboard sends an
// agent's files as links on their own lines). Only http(s) is linked; the text stays text.
export function smsParts(text) {
  const parts = [];
  for (const piece of (text ?? '').split(/(\s+)/)) {
    if (!piece) continue;
    const link = /^https?:\/\/\S+$/i.test(piece) ? piece : '';
    const last = parts[parts.length - 1];
    if (link) parts.push({ type: 'link', text: piece, href: link });
    else if (last?.type === 'text') last.text += piece;
    else parts.push({ type: 'text', text: piece });
  }
  return parts;
}

// ---- Room history -----------------------------------------------------------------------------

const kChannels = { 'SMS': 'sms', 'MMS': 'sms', 'Web form': 'web', 'API': 'api',
  'Voice call': 'voice', 'Missed call': 'voice' };

// A post by the bridge, as the router writes it: "**SMS** · <time> · <name> · <email>" then a
// blank line and the customer's words. Returns {kind:'customer', channel, label, at, details,
// body} or {kind:'note', body} for the bridge's own notes.
export function parseBridgePost(markdown) {
  const source = markdown ?? '';
  const header = /^\*\*([^*]+)\*\*((?: · [^\n]*)?)(?:\n\n([\s\S]*))?$/.exec(source);
  if (header && kChannels[header[1]]) {
    const parts = header[2] ? header[2].split(' · ').slice(1) : [];
    const at = parts.length ? parts.shift() : '';
    const details = parts.map((part) => unescapeMarkdown(part)).filter(Boolean);
    return { kind: 'customer', channel: kChannels[header[1]], label: header[1],
      at: unescapeMarkdown(at), details, body: header[3] ?? '' };
  }
  return { kind: 'note', body: source };
}

export function unescapeMarkdown(text) {
  return (text ?? '').replace(/\\(.)/g, '$1');
}

// What a message is, for how it is shown: the bridge relaying the customer, a bridge note, a
// whisper (it mentions someone: the router keeps it in the room) or an agent's reply.
export function classify(message) {
  if (message.fromProxy) return parseBridgePost(message.markdown ?? message.text).kind;
  const mentions = (message.mentionedPeople ?? []).length + (message.mentionedGroups ?? []).length;
  return mentions > 0 ? 'whisper' : 'reply';
}

// ---- The composer -----------------------------------------------------------------------------

// Turns "@Bob can you take this?" into what a Webex client posts: markdown with the mention
// tag in place of "@Bob". Mentions match a teammate's first name or full name, case-insensitive.
// Returns {markdown, mentions: [email]} when someone is mentioned, else {text}.
export function composePost(typed, people) {
  const candidates = [];
  for (const person of people ?? []) {
    const names = [person.displayName, person.firstName].filter(Boolean);
    for (const name of names) candidates.push({ name, person });
  }
  // Longest names first, so "@Bob Baker" wins over "@Bob".
  candidates.sort((a, b) => b.name.length - a.name.length);
  const segments = [];
  const mentions = [];
  let words = '';
  let i = 0;
  while (i < typed.length) {
    const before = i === 0 ? ' ' : typed[i - 1];
    if (typed[i] === '@' && !/[\w.]/.test(before)) {
      const rest = typed.slice(i + 1);
      const found = candidates.find(({ name }) =>
        rest.slice(0, name.length).toLowerCase() === name.toLowerCase() &&
        !/[\p{L}\p{N}]/u.test(rest[name.length] ?? ''));
      if (found) {
        if (words) segments.push(words);
        words = '';
        segments.push(found.person);
        if (!mentions.includes(found.person.email)) mentions.push(found.person.email);
        i += 1 + found.name.length;
        continue;
      }
    }
    words += typed[i];
    i += 1;
  }
  if (words) segments.push(words);
  if (!mentions.length) return { text: typed };
  // The agent's own words are escaped so that nothing in them reads as mark-up or a mention.
  const markdown = segments.map((segment) => (typeof segment === 'string'
    ? segment.replace(/[\\`*_<>[\]]/g, (char) => `\\${char}`)
    : `<@personEmail:${segment.email}|${segment.firstName || segment.displayName}>`)).join('');
  return { markdown, mentions };
}

// Who a draft would whisper to (for the hint under the composer).
export function mentionedNames(typed, people) {
  const post = composePost(typed, people);
  if (!post.mentions) return [];
  return post.mentions.map((email) => {
    const person = (people ?? []).find((p) => p.email === email);
    return person ? person.firstName || person.displayName : email;
  });
}

// ---- The phone --------------------------------------------------------------------------------

// The phone's screen, oldest first: texts it received and sent, and its calls.
export function phoneTimeline(phone) {
  const items = [];
  let order = 0;
  for (const text of phone?.inbox ?? []) {
    items.push({ kind: 'in', text: text.text, at: text.at, peer: text.from, media: text.media ?? [],
      order: order++ });
  }
  for (const text of phone?.sent ?? []) {
    items.push({ kind: 'out', text: text.text, at: text.at, peer: text.to, media: text.media ?? [],
      order: order++ });
  }
  for (const call of phone?.calls ?? []) {
    items.push({ kind: 'call', call, at: call.started_at, order: order++ });
  }
  const when = (item) => parseTime(item.at)?.getTime() ?? 0;
  items.sort((a, b) => when(a) - when(b) || a.order - b.order);
  return items;
}

// What happened to a call, in the words a phone would use.
export function callOutcome(call) {
  const target = call.target ? formatNumber(call.target.replace(/^tel:/, '')) : '';
  switch (call.outcome) {
    case 'ringing': return { title: 'Calling…', detail: '', tone: 'pending' };
    case 'transferred':
    case 'redirected':
      return { title: 'Call forwarded', detail: target ? `forwarded to ${target}` : 'forwarded',
        tone: 'ok' };
    case 'rejected': return { title: 'Call declined', detail: '', tone: 'bad' };
    case 'unanswered': {
      // Twilio's <Dial> ended without anyone taking the call (DialCallStatus).
      const where = target || 'the company';
      const detail = call.dial_status === 'busy' ? `${where} was busy`
        : call.dial_status === 'failed' ? `the call to ${where} failed`
          : `nobody at ${where} answered`;
      return { title: 'Call not answered', detail, tone: 'bad' };
    }
    case 'failed': return { title: 'Call failed', detail: call.error ?? '', tone: 'bad' };
    case 'hung up': return { title: 'Call ended', detail: 'the company hung up', tone: 'muted' };
    default: return { title: 'Call ended', detail: '', tone: 'muted' };
  }
}
