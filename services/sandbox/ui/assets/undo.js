// Undo send in the rooms half: while the router still holds an agent's reply (SMS_UNDO_SECONDS,
// served as /sandbox/ui/config's undoSeconds), its message offers a delete button; deleting it
// in Webex (the sandbox's admin route, as its author) means the customer never gets it.
// Pure: what to show and until when; app.js does the page.

// Milliseconds left in `message`'s undo window at `now` (ms since the epoch), 0 when none: the
// window is only an agent's reply's (kind 'reply', in a customer's room), and only while undo
// is on.
export function undoLeft(message, kind, inCustomerRoom, undoSeconds, now) {
  if (kind !== 'reply' || !inCustomerRoom || !(undoSeconds > 0)) return 0;
  const posted = Date.parse(message?.created ?? '');
  if (Number.isNaN(posted)) return 0;
  return Math.max(0, posted + undoSeconds * 1000 - now);
}

// The button's words for what is left: "Undo (9 s)".
export function undoLabel(left) {
  return `Undo (${Math.max(1, Math.ceil(left / 1000))} s)`;
}

// The admin route that deletes a message as its author.
export function deletePath(messageId) {
  return `/sandbox/spark/messages/${encodeURIComponent(messageId)}`;
}
