// The wall screen's one script, served as a file of this origin (/aset/pusat-komando.js) so the
// page's policy allows scripts from 'self' and nothing inline. It does two things:
// - reads the payment stream (/pusat-komando/aliran, Server-Sent Events) with fetch and the
//   page's session cookie (a browser's EventSource could not send the API's bearer token, and
//   the cookie never opens /api/v1), and puts each payment at the top of the list; when the
//   stream ends or goes silent past two heartbeats it connects again, waiting longer each time;
// - fetches the page again every data-segar-ms (and a few seconds after payments arrive) and
//   swaps in its figures (the elements marked data-segar), so the screen never reloads and the
//   stream stays open. A session that ended sends the screen to the login page.
// Plain ES2017, no build step, no library; text goes in with textContent, never as markup.
export const COMMAND_CENTER_SCRIPT = `'use strict';
(function () {
  var body = document.body;
  var streamUrl = body.getAttribute('data-aliran');
  var refreshMs = Number(body.getAttribute('data-segar-ms')) || 30000;
  var list = document.getElementById('aliran');
  var state = document.getElementById('sambungan');
  var MAX_ROWS = 30;
  var SILENT_MS = 40000;
  var AFTER_PAYMENT_MS = 4000;
  var CHANNEL = { card: 'Kartu debit', qris: 'QRIS', cash: 'Tunai' };

  function zones() {
    try { return JSON.parse(body.getAttribute('data-zona') || '{}'); } catch (e) { return {}; }
  }
  function say(s, text) {
    state.setAttribute('data-state', s);
    state.textContent = text;
  }
  function toLogin() {
    location.assign('/login?lanjut=' + encodeURIComponent(location.pathname + location.search));
  }
  function endedSession(res) {
    return res.redirected && new URL(res.url).pathname === '/login';
  }

  // "3000.00" -> "3.000", "1234.50" -> "1.234,50": the amount as text, never as a float.
  function rupiah(amount) {
    var parts = String(amount).split('.');
    var whole = parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, '.');
    var cents = (parts[1] || '00').slice(0, 2);
    return 'Rp ' + whole + (cents === '00' ? '' : ',' + cents);
  }
  function jam(iso, tz) {
    var p = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz || 'Asia/Jakarta', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'
    }).formatToParts(new Date(iso));
    function get(t) { for (var i = 0; i < p.length; i++) if (p[i].type === t) return p[i].value; return '00'; }
    return get('hour') + '.' + get('minute') + '.' + get('second');
  }
  function cell(cls, text) {
    var s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }

  function show(e) {
    if (!e || typeof e.paymentId !== 'string') return;
    for (var i = 0; i < list.children.length; i++)
      if (list.children[i].getAttribute('data-payment') === e.paymentId) return;
    var empty = list.querySelector('.kosong');
    if (empty) list.removeChild(empty);
    var li = document.createElement('li');
    li.className = 'baru';
    li.setAttribute('data-payment', e.paymentId);
    li.setAttribute('data-channel', e.channel);
    var many = body.getAttribute('data-banyak') === '1';
    li.appendChild(cell('jam', jam(e.paidAt, zones()[e.regionId])));
    li.appendChild(cell('los', e.stallCode));
    li.appendChild(cell('psr', (many ? e.regionCode + ' · ' : '') + e.marketName));
    li.appendChild(cell('ch', CHANNEL[e.channel] || e.channel));
    li.appendChild(cell('nominal', rupiah(e.amount)));
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_ROWS) list.removeChild(list.lastChild);
    refreshSoon();
  }

  // One block of the stream: "event: payment" with its JSON data; comments and the rest ignored.
  function block(text) {
    var event = 'message';
    var data = [];
    text.split('\\n').forEach(function (line) {
      if (!line || line.charAt(0) === ':') return;
      var i = line.indexOf(':');
      var field = i < 0 ? line : line.slice(0, i);
      var value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    });
    if (event !== 'payment' || !data.length) return;
    try { show(JSON.parse(data.join('\\n'))); } catch (err) { /* a block we cannot read */ }
  }

  var wait = 1000;
  function again() {
    say('putus', 'Terputus — menyambung ulang…');
    setTimeout(connect, wait);
    wait = Math.min(wait * 2, 30000);
  }
  function connect() {
    say('menyambung', 'Menyambung…');
    var abort = new AbortController();
    var silent;
    function heard() {
      clearTimeout(silent);
      silent = setTimeout(function () { abort.abort(); }, SILENT_MS);
    }
    heard();
    fetch(streamUrl, {
      credentials: 'same-origin', cache: 'no-store', signal: abort.signal,
      headers: { Accept: 'text/event-stream' }
    }).then(function (res) {
      if (endedSession(res)) return toLogin();
      if (!res.ok || !/^text\\/event-stream/.test(res.headers.get('content-type') || '')) throw new Error('status ' + res.status);
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) throw new Error('the stream ended');
          heard();
          buffer += decoder.decode(r.value, { stream: true }).replace(/\\r\\n?/g, '\\n');
          var cut;
          while ((cut = buffer.indexOf('\\n\\n')) >= 0) {
            var text = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (/^: ready$/m.test(text)) { say('langsung', 'Langsung'); wait = 1000; }
            block(text);
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      clearTimeout(silent);
      again();
    });
  }

  var timer = null;
  var fetching = false;
  function refreshSoon() {
    if (!timer) timer = setTimeout(refresh, AFTER_PAYMENT_MS);
  }
  function refresh() {
    clearTimeout(timer);
    timer = null;
    if (fetching) return refreshSoon();
    fetching = true;
    fetch(location.pathname + location.search, {
      credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' }
    }).then(function (res) {
      if (endedSession(res)) return toLogin();
      if (!res.ok) throw new Error('status ' + res.status);
      return res.text().then(function (text) {
        var doc = new DOMParser().parseFromString(text, 'text/html');
        var fresh = doc.querySelectorAll('[data-segar][id]');
        for (var i = 0; i < fresh.length; i++) {
          var here = document.getElementById(fresh[i].id);
          if (here) here.parentNode.replaceChild(document.importNode(fresh[i], true), here);
        }
        var z = doc.body && doc.body.getAttribute('data-zona');
        if (z) body.setAttribute('data-zona', z);
      });
    }).catch(function () {
      var when = document.getElementById('diperbarui');
      if (when) when.className = 'basi';
    }).then(function () { fetching = false; });
  }

  setInterval(refresh, refreshMs);
  connect();
})();
`;
