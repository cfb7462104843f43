// The classifier page: shows the model, sends the chosen file (an image, a sound file, a recording from the
// microphone when the model takes sound) to /api/predict, draws a bar per label.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const input = $('file');
  const drop = $('drop-zone');
  let previewUrl = null;
  // What the page says for the model's input kind (from /api/model); other kinds get the generic words.
  const WORDS = {
    image: null, // the page's own text
    audio: { title: 'Drop a sound file here, or choose one', button: 'Choose a sound file',
             hint: 'WAV, FLAC, MP3, Ogg, Opus or M4A; or record from the microphone.' }
  };

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
      adaptTo(model);
    } catch (e) {
      $('model-name').textContent = '';
      showError('Cannot load the model description: ' + e.message);
    }
  }

  let threshold = null; // multi-label: drawn as a line on every bar
  let maxSeconds = 10; // a recording stops by itself after this

  // The file picker offers what the model's input kind reads; a model that takes sound can also record.
  function adaptTo(model) {
    const accept = model.accept || [];
    if (accept.length > 0) { input.accept = accept.join(','); }
    const kind = model.input_kind || 'image';
    const words = kind in WORDS ? WORDS[kind]
      : { title: 'Drop a file here, or choose one', button: 'Choose a file', hint: accept.join(', ') };
    if (words) {
      $('drop-title').textContent = words.title;
      $('choose-button').textContent = words.button;
      $('drop-hint').textContent = words.hint;
      $('choose-heading').textContent = words.button;
      $('status').textContent = words.button + ' to see what the model thinks.';
    }
    if (model.max_seconds) { maxSeconds = Math.min(10, model.max_seconds); }
    $('record-area').hidden = !(accept.includes('audio/*') && window.MediaRecorder && navigator.mediaDevices);
  }

  // Recording: MediaRecorder's chunks (webm or ogg with Opus, as the browser chooses) become one file to predict.
  let recorder = null;
  let stopTimer = null;

  async function toggleRecording() {
    const button = $('record');
    if (recorder) { recorder.stop(); return; }
    showError('');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      showError('Cannot use the microphone: ' + e.message);
      return;
    }
    const chunks = [];
    const status = $('record-status');
    status.dataset.bytes = '0'; // how much was recorded so far (tests wait on it)
    recorder = new MediaRecorder(stream);
    recorder.addEventListener('dataavailable', (e) => {
      if (e.data.size > 0) {
        chunks.push(e.data);
        status.dataset.bytes = String(Number(status.dataset.bytes) + e.data.size);
      }
    });
    recorder.addEventListener('stop', () => {
      clearTimeout(stopTimer);
      stream.getTracks().forEach((t) => t.stop());
      const type = recorder.mimeType || 'audio/webm';
      recorder = null;
      button.textContent = 'Record';
      $('record-status').textContent = '';
      const ext = type.includes('ogg') ? 'ogg' : 'webm';
      predict(new File(chunks, 'recording.' + ext, { type: type }));
    });
    recorder.start(250); // a chunk every 250 ms
    button.textContent = 'Stop';
    $('record-status').textContent = 'Recording… (stops by itself after ' + maxSeconds + ' s)';
    stopTimer = setTimeout(() => { if (recorder) { recorder.stop(); } }, maxSeconds * 1000);
  }

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
    const player = $('player');
    const sound = (file.type || '').startsWith('audio/') || (file.type === '' && input.accept.includes('audio/*'));
    img.hidden = sound;
    player.hidden = !sound;
    if (sound) {
      img.removeAttribute('src');
      player.src = previewUrl;
      player.setAttribute('aria-label', 'The sound you chose: ' + file.name);
    } else {
      player.removeAttribute('src');
      img.src = previewUrl;
    }
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

  $('record').addEventListener('click', toggleRecording);
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
