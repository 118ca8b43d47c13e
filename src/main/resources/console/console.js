// The console page: renders what one person sees (Block Kit and mrkdwn), polls for changes, sends typing and clicks.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  let state = null;
  let as = new URLSearchParams(location.search).get('as') || localStorage.getItem('console-as') || '';
  let channel = null;
  let generation = 0;
  const seen = {}; // channel -> number of messages seen, for the unread badges

  // --- mrkdwn ------------------------------------------------------------------------------------------------------
  // Slack's own escaping (&amp; &lt; &gt;) is kept as HTML entities; anything else that HTML would read is escaped.
  function esc(s) {
    return String(s).replace(/&(?!(amp|lt|gt);)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  function attr(s) { return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;'); }
  function nameOf(id) { return (state && state.users[id]) || id; }
  function groupOf(id) { return (state && state.groups[id]) || id; }

  function angle(inner) {
    const bar = inner.indexOf('|');
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const label = bar < 0 ? null : inner.slice(bar + 1);
    if (target.startsWith('@')) {
      const id = target.slice(1);
      return '<span class="mention' + (id === as ? ' me' : '') + '" data-user="' + attr(id) + '">@' + esc(label || nameOf(id)) + '</span>';
    }
    if (target.startsWith('!subteam^')) {
      const id = target.slice(9);
      return '<span class="mention group" data-group="' + attr(id) + '">' + esc(label || '@' + groupOf(id)) + '</span>';
    }
    if (target.startsWith('!')) { return '<span class="mention">@' + esc(label || target.slice(1)) + '</span>'; }
    if (target.startsWith('#')) { return '<span class="mention">#' + esc(label || target.slice(1)) + '</span>'; }
    if (/^(https?:|mailto:)/.test(target)) {
      return '<a href="' + attr(target) + '" target="_blank" rel="noopener">' + esc(label || target) + '</a>';
    }
    return esc('<' + inner + '>');
  }

  function inline(s) {
    return s.replace(/(^|[\s(>])\*([^*\n]+)\*(?=$|[\s).,:;!?<])/g, '$1<b>$2</b>')
      .replace(/(^|[\s(>])_([^_\n]+)_(?=$|[\s).,:;!?<])/g, '$1<i>$2</i>')
      .replace(/(^|[\s(>])~([^~\n]+)~(?=$|[\s).,:;!?<])/g, '$1<s>$2</s>');
  }

  function mrkdwn(text) {
    const held = [];
    const hold = (html) => { held.push(html); return '\u0000' + (held.length - 1) + '\u0000'; };
    let s = String(text || '');
    s = s.replace(/```([\s\S]*?)```/g, (m, code) => hold('<pre>' + esc(code) + '</pre>'));
    s = s.replace(/`([^`\n]+)`/g, (m, code) => hold('<code>' + esc(code) + '</code>'));
    s = s.replace(/<([^<>\n]+)>/g, (m, inner) => hold(angle(inner)));
    s = inline(esc(s));
    return s.replace(/\u0000(\d+)\u0000/g, (m, i) => held[+i]);
  }

  function textObject(t) {
    if (!t) { return ''; }
    return t.type === 'mrkdwn' ? mrkdwn(t.text) : esc(t.text);
  }

  // --- Block Kit ---------------------------------------------------------------------------------------------------
  function button(el, m, blockId) {
    const b = document.createElement('button');
    b.type = 'button';
    b.innerHTML = esc(el.text ? el.text.text : 'button');
    if (el.style) { b.className = el.style; }
    b.dataset.actionId = el.action_id || '';
    b.dataset.value = el.value || '';
    b.dataset.blockId = blockId || '';
    if (el.url) {
      b.addEventListener('click', () => window.open(el.url, '_blank', 'noopener'));
      return b;
    }
    b.addEventListener('click', () => {
      const send = () => click(m, el, blockId);
      if (el.confirm) { confirmThen(el.confirm, send); } else { send(); }
    });
    return b;
  }

  function block(b, m) {
    const div = document.createElement('div');
    div.className = 'block ' + b.type;
    switch (b.type) {
      case 'header':
        div.innerHTML = esc(b.text ? b.text.text : '');
        break;
      case 'section': {
        if (b.text) { div.innerHTML = '<div class="text">' + textObject(b.text) + '</div>'; }
        if (b.fields) {
          const f = document.createElement('div');
          f.className = 'fields';
          b.fields.forEach((x) => { const c = document.createElement('div'); c.className = 'text'; c.innerHTML = textObject(x); f.appendChild(c); });
          div.appendChild(f);
        }
        if (b.accessory && b.accessory.type === 'button') { div.appendChild(button(b.accessory, m, b.block_id)); }
        break;
      }
      case 'context':
        div.innerHTML = (b.elements || []).map((e) => e.type === 'image'
          ? '<img src="' + attr(e.image_url) + '" alt="' + attr(e.alt_text || '') + '">' : textObject(e)).join(' ');
        break;
      case 'divider':
        break;
      case 'actions':
        (b.elements || []).filter((e) => e.type === 'button').forEach((e) => div.appendChild(button(e, m, b.block_id)));
        break;
      case 'image':
        div.innerHTML = '<img src="' + attr(b.image_url) + '" alt="' + attr(b.alt_text || '') + '" style="max-width:360px">';
        break;
      default:
        div.innerHTML = '<span class="text">[' + esc(b.type) + ' block]</span>';
    }
    return div;
  }

  function messageEl(m) {
    const el = document.createElement('div');
    el.className = 'msg' + (m.ephemeral ? ' ephemeral' : '');
    el.dataset.ts = m.ts;
    el.id = m.channel + '-' + m.ts;
    const bot = m.user === 'U0BOT';
    const who = nameOf(m.user);
    const when = new Date(parseFloat(m.ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    el.innerHTML = '<div class="avatar' + (bot ? ' bot' : '') + '">' + esc(who.charAt(0).toUpperCase()) + '</div>'
      + '<div class="body"><div class="meta"><b>' + esc(who) + '</b>' + (bot ? 'APP ' : '') + when
      + (m.edited ? ' (edited)' : '') + (m.ephemeral ? ' <span class="only">Only visible to you</span>' : '') + '</div></div>';
    const body = el.querySelector('.body');
    if (m.blocks && m.blocks.length) {
      m.blocks.forEach((b) => body.appendChild(block(b, m)));
    } else {
      const t = document.createElement('div');
      t.className = 'text';
      t.innerHTML = mrkdwn(m.text);
      body.appendChild(t);
    }
    (m.files || []).forEach((f) => body.appendChild(fileEl(f)));
    return el;
  }

  // A shared file, as Slack shows one: an image inline (click for full size), anything else as a link to download.
  function fileEl(f) {
    const d = document.createElement('div');
    d.className = 'file';
    const url = attr(f.url_private || '');
    const title = f.title || f.name || 'file';
    if (String(f.mimetype || '').startsWith('image/')) {
      d.innerHTML = '<a href="' + url + '" target="_blank" rel="noopener"><img class="file-image" src="' + url + '" alt="'
        + attr(title) + '"></a><div class="file-name">' + esc(f.name || title) + '</div>';
    } else {
      d.innerHTML = '📄 <a class="file-link" href="' + url + '" download="' + attr(f.name || 'file') + '">' + esc(f.name || title)
        + '</a> <span class="file-title">' + esc(title) + '</span>';
    }
    return d;
  }

  // --- Rendering ---------------------------------------------------------------------------------------------------
  function render() {
    const people = $('as');
    if (people.options.length !== state.people.length) {
      people.innerHTML = state.people.map((p) => '<option value="' + attr(p.id) + '">' + esc(p.name) + ' — ' + esc(p.role) + '</option>').join('');
    }
    people.value = as;
    const nav = $('channels');
    nav.innerHTML = '';
    const counts = {};
    state.messages.forEach((m) => { counts[m.channel] = (counts[m.channel] || 0) + 1; });
    state.channels.forEach((c, i) => {
      if (i === 0) { nav.insertAdjacentHTML('beforeend', '<div class="section">Channels</div>'); }
      if (i === 1) { nav.insertAdjacentHTML('beforeend', '<div class="section">Direct messages</div>'); }
      const d = document.createElement('div');
      d.className = 'chan' + (c.id === channel ? ' active' : '');
      d.dataset.id = c.id;
      const unread = c.id === channel ? 0 : (counts[c.id] || 0) - (seen[c.id] || 0);
      d.innerHTML = esc(c.name) + (unread > 0 ? '<span class="badge">' + unread + '</span>' : '');
      d.addEventListener('click', () => { channel = c.id; render(); });
      nav.appendChild(d);
    });
    seen[channel] = counts[channel] || 0;
    const current = state.channels.find((c) => c.id === channel);
    $('channel-title').textContent = current ? current.name : channel;
    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.innerHTML = '';
    const here = state.messages.filter((m) => m.channel === channel);
    const top = here.filter((m) => !m.thread_ts);
    if (!top.length) { box.innerHTML = '<div class="empty">Nothing here yet. Type <code>/rollback help</code> below.</div>'; }
    top.forEach((m) => {
      box.appendChild(messageEl(m));
      const replies = here.filter((r) => r.thread_ts === m.ts);
      if (replies.length) {
        const t = document.createElement('div');
        t.className = 'thread';
        t.dataset.threadTs = m.ts;
        t.innerHTML = '<div class="replies">' + replies.length + (replies.length === 1 ? ' reply' : ' replies') + '</div>';
        replies.forEach((r) => t.appendChild(messageEl(r)));
        box.appendChild(t);
      }
    });
    if (atBottom || box.dataset.channel !== channel) { box.scrollTop = box.scrollHeight; }
    box.dataset.channel = channel;
    document.body.dataset.version = state.version;
    document.body.dataset.as = as;
  }

  function confirmThen(c, then) {
    $('confirm-title').innerHTML = esc(c.title ? c.title.text : 'Are you sure?');
    $('confirm-text').innerHTML = textObject(c.text);
    $('confirm-ok').textContent = c.confirm ? c.confirm.text : 'Yes';
    $('confirm-cancel').textContent = c.deny ? c.deny.text : 'Cancel';
    $('confirm').hidden = false;
    $('confirm-ok').onclick = () => { $('confirm').hidden = true; then(); };
    $('confirm-cancel').onclick = () => { $('confirm').hidden = true; };
  }

  // --- Talking to the bot's side -----------------------------------------------------------------------------------
  function post(path, fields) {
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Console': '1' },
      body: new URLSearchParams(fields).toString() });
  }

  function click(m, el, blockId) {
    post('/console/click', { as, channel: m.channel, ts: m.ts, action_id: el.action_id || '', block_id: blockId || '', value: el.value || '' });
  }

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('text').value.trim();
    if (!text) { return; }
    $('text').value = '';
    post('/console/command', { as, channel, text });
  });

  $('as').addEventListener('change', () => {
    as = $('as').value;
    localStorage.setItem('console-as', as);
    poll(-1);
  });

  async function poll(since) {
    const mine = ++generation;
    for (;;) {
      try {
        const r = await fetch('/console/state?as=' + encodeURIComponent(as) + '&since=' + since);
        if (mine !== generation) { return; }
        if (r.ok) {
          state = await r.json();
          if (!as || !state.people.some((p) => p.id === as)) {
            as = state.people[0].id; // what was fetched was for nobody: fetch again as the first person
            poll(-1);
            return;
          }
          if (!channel) { channel = state.channel; }
          if (state.version !== since || since < 0) { render(); }
          since = state.version;
          continue;
        }
      } catch (e) {
        if (mine !== generation) { return; }
      }
      await new Promise((res) => setTimeout(res, 1000)); // the bot is away: try again shortly
    }
  }

  poll(-1);
})();
