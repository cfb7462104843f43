// The cleaner page: lists one label's images worst first; keep / delete / move each; undo the last change.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  let dataset = null;
  let generation = 0; // only the latest request's answer is drawn

  function showError(message) {
    $('error').textContent = message || '';
    $('error').hidden = !message;
  }

  function say(message) { $('status').textContent = message; }

  let pending = 0; // requests in flight; the page says so on <body data-busy> (tests wait for it)
  function busy(delta) {
    pending += delta;
    document.body.dataset.busy = pending > 0 ? 'true' : 'false';
  }

  async function call(method, url, body) {
    busy(1);
    try {
      return await send(method, url, body);
    } finally {
      busy(-1);
    }
  }

  async function send(method, url, body) {
    const options = { method: method, headers: {} };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (e) {
      throw new Error('cannot reach the cleaner (' + e.message + '); is it still running?');
    }
    const text = await response.text();
    let json;
    try { json = JSON.parse(text); } catch (e) { throw new Error('the cleaner answered ' + response.status + ' without JSON'); }
    if (!response.ok) { throw new Error(json.error || ('status ' + response.status)); }
    return json;
  }

  function option(select, value, selected) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = value;
    o.selected = value === selected;
    select.appendChild(o);
  }

  async function loadDataset() {
    dataset = await call('GET', '/api/dataset');
    $('model-name').textContent = '· ' + dataset.model;
    $('data-dir').textContent = 'Data folder: ' + dataset.dir;
    const labels = $('label-select');
    labels.replaceChildren();
    dataset.labels.forEach((l, i) => option(labels, l, i === 0 ? l : null));
    const splits = $('split-select');
    splits.replaceChildren();
    dataset.splits.forEach((s) => option(splits, s, dataset.splits.includes('valid') ? 'valid' : 'train'));
    if (dataset.note) {
      $('split-note').textContent = dataset.note;
      $('split-note').hidden = false;
    }
  }

  function pct(p) { return (100 * p).toFixed(1) + '%'; }

  function card(item) {
    const li = document.createElement('li');
    li.className = 'card';
    li.dataset.path = item.path;
    const img = document.createElement('img');
    img.src = '/api/image?path=' + encodeURIComponent(item.path);
    img.alt = item.path + ', labelled ' + item.label;
    img.loading = 'lazy';
    const file = document.createElement('span');
    file.className = 'file';
    file.textContent = item.path;
    const pred = document.createElement('span');
    if (item.error) {
      pred.className = 'pred wrong';
      pred.textContent = item.error;
    } else {
      pred.className = 'pred ' + (item.predicted === item.label ? 'right' : 'wrong');
      pred.textContent = 'Predicted ' + item.predicted + ' (' + pct(item.probability) + ')';
    }
    const loss = document.createElement('span');
    loss.className = 'muted';
    loss.textContent = item.loss === null ? 'loss: —' : 'loss ' + item.loss.toFixed(3);
    const actions = document.createElement('div');
    actions.className = 'actions';
    const keep = button('Keep', 'secondary', () => { li.classList.add('done'); say('Kept ' + item.path + ' (nothing changes on disk).'); });
    keep.setAttribute('aria-label', 'Keep ' + item.path);
    const del = button('Delete', '', () => act(li, '/api/delete', { path: item.path }));
    del.setAttribute('aria-label', 'Delete ' + item.path);
    const target = document.createElement('select');
    target.setAttribute('aria-label', 'New label for ' + item.path);
    dataset.labels.filter((l) => l !== item.label).forEach((l) => option(target, l, item.predicted));
    const move = button('Move', 'secondary', () => act(li, '/api/relabel', { path: item.path, label: target.value }));
    move.setAttribute('aria-label', 'Move ' + item.path + ' to the chosen label');
    actions.append(keep, del, target, move);
    li.append(img, file, pred, loss, actions);
    return li;
  }

  function button(text, cls, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    if (cls) { b.className = cls; }
    b.addEventListener('click', onClick);
    return b;
  }

  async function act(li, url, body) {
    showError('');
    li.querySelectorAll('button, select').forEach((b) => { b.disabled = true; });
    try {
      const done = await call('POST', url, body);
      li.classList.add('done');
      const outcome = document.createElement('span');
      outcome.className = 'outcome';
      outcome.textContent = done.action.action === 'delete' ? 'Deleted (in quarantine)' : 'Moved to ' + done.action.to;
      li.appendChild(outcome);
      say(done.message.charAt(0).toUpperCase() + done.message.slice(1) + '.');
      loadHistory();
    } catch (e) {
      li.querySelectorAll('button, select').forEach((b) => { b.disabled = false; });
      showError(e.message);
    }
  }

  // `before`: a message to keep in front of the count (e.g. what an undo just did)
  async function loadItems(before) {
    const prefix = typeof before === 'string' ? before + ' ' : '';
    showError('');
    const label = $('label-select').value;
    const split = $('split-select').value;
    const mine = ++generation;
    say('Asking the model about ' + label + ' (' + split + ')…');
    $('items').replaceChildren();
    try {
      const answer = await call('GET', '/api/items?label=' + encodeURIComponent(label) + '&split=' + encodeURIComponent(split));
      if (mine !== generation) { return; }
      $('items').replaceChildren(...answer.items.map(card));
      say(prefix + answer.items.length + ' images labelled ' + label + ' in ' + split + ', worst first.');
    } catch (e) {
      if (mine !== generation) { return; }
      say('');
      showError(e.message);
    }
  }

  async function loadHistory() {
    try {
      const h = await call('GET', '/api/history');
      const list = $('history');
      list.replaceChildren();
      h.actions.slice(-20).reverse().forEach((a) => {
        const li = document.createElement('li');
        li.textContent = '#' + a.id + ' ' + a.action + ': ' + a.file + (a.action === 'undo' ? '' : ' → ' + a.to);
        list.appendChild(li);
      });
    } catch (e) {
      showError(e.message);
    }
  }

  $('controls').addEventListener('submit', (e) => { e.preventDefault(); loadItems(); });
  $('label-select').addEventListener('change', () => loadItems());
  $('split-select').addEventListener('change', () => loadItems());
  $('undo').addEventListener('click', async () => {
    showError('');
    try {
      const done = await call('POST', '/api/undo', {});
      const message = done.message.charAt(0).toUpperCase() + done.message.slice(1) + '.';
      say(message);
      await loadItems(message);
      loadHistory();
    } catch (e) {
      showError('Cannot undo: ' + e.message);
    }
  });

  loadDataset().then(() => { loadHistory(); return loadItems(); }).catch((e) => { say(''); showError(e.message); });
}());
