// The classifier page: shows the model, sends the chosen image to /api/predict, draws a bar per label.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const input = $('file');
  const drop = $('drop-zone');
  let previewUrl = null;

  function showError(message) {
    const box = $('error');
    box.textContent = message;
    box.hidden = !message;
  }

  async function readJson(response) {
    const text = await response.text();
    try { return JSON.parse(text); } catch (e) { return { error: 'the server answered ' + response.status + ' without JSON' }; }
  }

  function percent(p) { return (100 * p).toFixed(1) + '%'; }

  async function loadModel() {
    try {
      const response = await fetch('/api/model');
      const model = await readJson(response);
      if (!response.ok) { throw new Error(model.error || ('status ' + response.status)); }
      $('model-name').textContent = model.name;
      document.title = model.name + ' · Kodiak classifier';
      $('model-labels').textContent = (model.task === 'regression' ? 'Predicts: ' : 'Labels: ') + model.labels.join(', ')
        + (model.task === 'multi-label' && model.threshold ? ' (a label is given from ' + percent(model.threshold) + ')' : '');
      threshold = model.task === 'multi-label' ? model.threshold : null;
    } catch (e) {
      $('model-name').textContent = '';
      showError('Cannot load the model description: ' + e.message);
    }
  }

  let threshold = null; // multi-label: drawn as a line on every bar

  function render(answer) {
    const list = $('probabilities');
    list.replaceChildren();
    const best = answer.label;
    const predicted = answer.labels ? answer.labels.join(', ') : best;
    if (answer.values) {
      $('predicted-label').textContent = Object.entries(answer.values).map(([k, v]) => k + ' = ' + v.toPrecision(4)).join(', ');
      $('predicted-probability').textContent = '';
    } else {
      $('predicted-label').textContent = predicted || '(no label above the threshold)';
      $('predicted-probability').textContent = best && answer.probabilities ? percent(answer.probabilities[best]) : '';
    }
    const entries = Object.entries(answer.probabilities || {}).sort((a, b) => b[1] - a[1]);
    for (const [label, p] of entries) {
      const li = document.createElement('li');
      if (answer.labels ? answer.labels.includes(label) : label === best) { li.className = 'best'; }
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = label;
      const track = document.createElement('span');
      track.className = 'track';
      track.setAttribute('role', 'meter');
      track.setAttribute('aria-label', label);
      track.setAttribute('aria-valuemin', '0');
      track.setAttribute('aria-valuemax', '100');
      track.setAttribute('aria-valuenow', (100 * p).toFixed(1));
      const fill = document.createElement('span');
      fill.className = 'fill';
      fill.style.display = 'block';
      fill.style.width = percent(p);
      track.appendChild(fill);
      if (threshold) {
        const line = document.createElement('span');
        line.className = 'threshold';
        line.title = 'threshold ' + percent(threshold);
        line.style.left = percent(threshold);
        track.appendChild(line);
      }
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = percent(p);
      li.append(name, track, value);
      list.appendChild(li);
    }
    $('status').textContent = 'Answered in ' + Math.round(answer.millis) + ' ms.';
  }

  async function predict(file) {
    showError('');
    $('result-area').hidden = false;
    if (previewUrl) { URL.revokeObjectURL(previewUrl); }
    previewUrl = URL.createObjectURL(file);
    const img = $('preview');
    img.src = previewUrl;
    img.alt = 'The image you chose: ' + file.name;
    $('preview-name').textContent = file.name;
    $('predicted-label').textContent = '';
    $('predicted-probability').textContent = '';
    $('probabilities').replaceChildren();
    $('status').textContent = 'Asking the model…';
    const form = new FormData();
    form.append('file', file, file.name);
    let response;
    try {
      response = await fetch('/api/predict', { method: 'POST', body: form });
    } catch (e) {
      $('status').textContent = '';
      showError('Cannot reach the server (' + e.message + '). Is it still running?');
      return;
    }
    const answer = await readJson(response);
    if (!response.ok) {
      $('status').textContent = '';
      img.alt = 'The image you chose (the model could not read it): ' + file.name;
      showError(answer.error || ('The server answered with status ' + response.status + '.'));
      return;
    }
    render(answer);
  }

  input.addEventListener('change', () => { if (input.files.length > 0) { predict(input.files[0]); } });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('dragging'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('dragging');
    if (e.dataTransfer.files.length > 0) { predict(e.dataTransfer.files[0]); }
  });
  loadModel();
}());
