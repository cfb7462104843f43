// The cleaner page: lists one label's images (or sound clips, with a player) worst first; keep / delete / move each; undo the last change.
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
    if (dataset.source === 'csv') {
      $('help').hidden = true;
      $('csv-name').textContent = dataset.csv;
      $('csv-help').hidden = false;
      if (!dataset.editable) {
        $('read-only').textContent = 'Read-only: ' + dataset.read_only + '.';
        $('read-only').hidden = false;
        $('undo').style.display = 'none'; // the button's class sets its display, which would override [hidden]
      }
    }
  }

  const ALL = '(all)';
  function csv() { return dataset.source === 'csv'; }
  function readOnly() { return csv() && !dataset.editable; }
  function num(v) { return Number(v.toPrecision(4)).toString(); }
  function numbers(values) { return Object.entries(values).map(([k, v]) => k + ' = ' + num(v)).join(', '); }
  function labelSet(labels) { return labels.length ? labels.join(', ') : '(none)'; }

  function pct(p) { return (100 * p).toFixed(1) + '%'; }

  function card(item) {
    const li = document.createElement('li');
    li.className = 'card';
    li.dataset.path = item.path;
    // each file as its kind is shown: sound files get a player, everything else is drawn as an image
    const sound = dataset.input_kind === 'audio';
    const img = document.createElement(sound ? 'audio' : 'img');
    if (sound) {
      img.controls = true;
      img.preload = 'none'; // a long list must not download every clip
      img.setAttribute('aria-label', item.path + ', labelled ' + target(item));
    } else {
      img.alt = item.path + ', labelled ' + target(item);
      img.loading = 'lazy';
    }
    img.src = '/api/image?path=' + encodeURIComponent(item.path);
    const file = document.createElement('span');
    file.className = 'file';
    file.textContent = item.path;
    const pred = document.createElement('span');
    if (item.error) {
      pred.className = 'pred wrong';
      pred.textContent = item.error;
    } else if (item.predicted_values) {
      pred.className = 'pred';
      pred.textContent = 'Predicted ' + numbers(item.predicted_values);
    } else if (item.predicted_labels) {
      pred.className = 'pred ' + (labelSet(item.predicted_labels) === labelSet(item.labels) ? 'right' : 'wrong');
      pred.textContent = 'Predicted ' + labelSet(item.predicted_labels);
    } else {
      pred.className = 'pred ' + (item.predicted === item.label ? 'right' : 'wrong');
      pred.textContent = 'Predicted ' + item.predicted + ' (' + pct(item.probability) + ')';
    }
    const truth = document.createElement('span');
    truth.className = 'truth';
    truth.textContent = (csv() ? 'In ' + dataset.csv + ': ' : 'Label: ') + target(item);
    const loss = document.createElement('span');
    loss.className = 'muted';
    loss.textContent = item.loss === null ? 'loss: —' : 'loss ' + item.loss.toFixed(3);
    const actions = document.createElement('div');
    actions.className = 'actions';
    li.append(img, file, truth, pred, loss);
    if (readOnly()) { return li; }
    const keep = button('Keep', 'secondary', () => { li.classList.add('done'); say('Kept ' + item.path + ' (nothing changes on disk).'); });
    keep.setAttribute('aria-label', 'Keep ' + item.path);
    const del = button('Delete', '', () => act(li, '/api/delete', { path: item.path }));
    del.setAttribute('aria-label', 'Delete ' + item.path);
    actions.append(keep, del, ...editor(item, li));
    li.append(actions);
    return li;
  }

  function target(item) {
    if (item.values) { return numbers(item.values); }
    if (item.labels && dataset.task === 'multi-label') { return labelSet(item.labels); }
    return item.label;
  }

  // How a card changes its target: another label (folders, single-label CSV), a set of labels, or numbers.
  function editor(item, li) {
    if (csv() && dataset.task === 'regression') {
      const fields = dataset.targets.map((t) => {
        const input = document.createElement('input');
        input.type = 'number';
        input.step = 'any';
        input.name = t;
        input.value = item.values ? item.values[t] : '';
        input.setAttribute('aria-label', t + ' of ' + item.path);
        const l = document.createElement('label');
        l.className = 'target';
        l.append(t + ' ', input);
        return l;
      });
      const save = button('Save values', 'secondary', () => {
        const values = {};
        fields.forEach((l) => { const i = l.querySelector('input'); values[i.name] = Number(i.value); });
        act(li, '/api/relabel', { path: item.path, values: values });
      });
      save.setAttribute('aria-label', 'Save the values of ' + item.path);
      return [...fields, save];
    }
    if (csv() && dataset.task === 'multi-label') {
      const boxes = dataset.labels.filter((l) => l !== ALL).map((name) => {
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = name;
        box.checked = (item.labels || []).includes(name);
        const l = document.createElement('label');
        l.className = 'tag';
        l.append(box, ' ' + name);
        return l;
      });
      const save = button('Save labels', 'secondary', () => {
        const labels = boxes.map((l) => l.querySelector('input')).filter((b) => b.checked).map((b) => b.value);
        act(li, '/api/relabel', { path: item.path, labels: labels });
      });
      save.setAttribute('aria-label', 'Save the labels of ' + item.path);
      return [...boxes, save];
    }
    const choice = document.createElement('select');
    choice.setAttribute('aria-label', 'New label for ' + item.path);
    dataset.labels.filter((l) => l !== item.label && l !== ALL).forEach((l) => option(choice, l, item.predicted));
    const text = csv() ? 'Relabel' : 'Move';
    const move = button(text, 'secondary', () => act(li, '/api/relabel', { path: item.path, label: choice.value }));
    move.setAttribute('aria-label', text + ' ' + item.path + ' to the chosen label');
    return [choice, move];
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
    li.querySelectorAll('button, select, input').forEach((b) => { b.disabled = true; });
    try {
      const done = await call('POST', url, body);
      li.classList.add('done');
      const outcome = document.createElement('span');
      outcome.className = 'outcome';
      outcome.textContent = done.action.action === 'delete' ? 'Deleted (in quarantine)'
        : done.action.to ? 'Moved to ' + done.action.to : 'Now ' + labelSet(done.action.after);
      li.appendChild(outcome);
      say(done.message.charAt(0).toUpperCase() + done.message.slice(1) + '.');
      loadHistory();
    } catch (e) {
      li.querySelectorAll('button, select, input').forEach((b) => { b.disabled = false; });
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
      say(prefix + answer.items.length + (dataset.input_kind === 'audio' ? ' clips ' : ' images ') + (label === ALL ? '' : 'labelled ' + label + ' ') + 'in ' + split
        + ', worst first.');
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
        li.textContent = '#' + a.id + ' ' + a.action + ': ' + a.file + (a.action === 'undo' ? ''
          : ' → ' + (a.to || labelSet(a.after)));
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
