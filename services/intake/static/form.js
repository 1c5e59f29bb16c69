"use strict";
// The complaint form: the anonymity notice, checks before upload, one Idempotency-Key per
// form load, errors next to each field, retry after a failure, and a result that takes the focus.
(() => {
  const form = document.getElementById('pengaduan');
  const $ = (id) => document.getElementById(id);
  const idOf = (name) => name.replace(/\./g, '-');
  const state = {key: newKey(), sending: false, body: null};
  for (const button of document.querySelectorAll('.salin, #cetak')) button.hidden = false;  // they need this script

  function newKey() {
    return window.crypto && crypto.randomUUID ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // --- the anonymity notice: shown while no name and contact is given ------------------------------
  function anonymous() {
    const value = (name) => form.elements[name].value.trim();
    return form.elements['reporter.anonymous'].checked || !value('reporter.name') ||
      (!value('reporter.email') && !value('reporter.phone'));
  }
  const notice = () => { $('pemberitahuan-anonim').hidden = !anonymous(); };
  form.addEventListener('input', notice);
  form.addEventListener('change', notice);

  // --- the document the API takes -------------------------------------------------------------------
  function documentOf(data) {
    const doc = {reporter: {}, subject: {}, violation: {}, declaration: data.has('declaration')};
    for (const [name, value] of data.entries()) {
      const [group, field] = name.split('.');
      if (!field || value === '' || value instanceof File) continue;
      doc[group][field] = field === 'post_urls' ? value.split(/\s+/).filter(Boolean) : field === 'anonymous' ? true : value;
    }
    return doc;
  }

  function fileProblems(files) {
    const input = $('f-evidence'), max = Number(input.dataset.maxFiles), bytes = Number(input.dataset.maxBytes);
    const total = files.reduce((sum, f) => sum + f.size, 0), mb = (n) => (n / 1048576).toFixed(1) + ' MB';
    if (files.length > max) return {evidence: ['Paling banyak ' + max + ' berkas bukti.']};
    if (total > bytes - 65536) return {evidence: ['Jumlah ukuran berkas ' + mb(total) + ', lebih dari batas ' + mb(bytes) +
      '. Perkecil atau kurangi berkas.']};
    const empty = files.findIndex((f) => f.size === 0);
    return empty >= 0 ? {evidence: ['Berkas "' + files[empty].name + '" kosong.']} : null;
  }

  // --- errors next to fields, and their summary --------------------------------------------------
  function clearErrors() {
    for (const p of form.querySelectorAll('.galat')) { p.hidden = true; p.textContent = ''; }
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    $('ringkasan').replaceChildren();
  }

  function fieldOf(path) {
    const name = path.startsWith('evidence') ? 'evidence' : path.replace(/\.\d+$/, '');
    return document.getElementById('e-' + idOf(name)) ? name : null;
  }

  function showErrors(title, errors) {
    clearErrors();
    const list = document.createElement('ul');
    const order = (path) => { const n = fieldOf(path), el = n && document.getElementById('e-' + idOf(n));
      return el ? Array.from(form.querySelectorAll('.galat')).indexOf(el) : -1; };
    const sorted = Object.entries(errors).sort(([a], [b]) => order(a) - order(b));
    for (const [path, messages] of sorted) {
      const name = fieldOf(path), text = messages.join(' ');
      const item = document.createElement('li');
      if (name) {
        const p = $('e-' + idOf(name));
        p.textContent = (p.textContent ? p.textContent + ' ' : '') + text;
        p.hidden = false;
        const target = form.elements[name];
        for (const el of target instanceof RadioNodeList ? Array.from(target) : [target]) el.setAttribute('aria-invalid', 'true');
        const link = document.createElement('a');
        link.href = '#' + (target instanceof RadioNodeList ? target[0].id : target.id);
        link.textContent = labelOf(name) + ': ' + text;
        item.append(link);
      } else item.textContent = text;
      list.append(item);
    }
    const heading = document.createElement('h2');
    heading.textContent = title;
    $('ringkasan').replaceChildren(heading, list);
    $('ringkasan').focus();
  }

  // A field's error goes as soon as the field is changed into something it accepts; the summary keeps
  // only the errors still standing. The next send checks everything again.
  function clearFixed(el) {
    if (!el.name || !el.checkValidity()) return;
    const name = el.name.startsWith('evidence') ? 'evidence' : el.name, p = $('e-' + idOf(name));
    if (!p || p.hidden) return;
    p.hidden = true;
    p.textContent = '';
    const target = form.elements[name];
    for (const x of target instanceof RadioNodeList ? Array.from(target) : [target]) x.removeAttribute('aria-invalid');
    for (const link of $('ringkasan').querySelectorAll('a')) {
      if (link.getAttribute('href') === '#' + (target instanceof RadioNodeList ? target[0].id : target.id)) link.parentElement.remove();
    }
  }
  form.addEventListener('input', (event) => clearFixed(event.target));
  form.addEventListener('change', (event) => clearFixed(event.target));

  function labelOf(name) {
    const el = document.getElementById('f-' + idOf(name));
    const label = el && (el.tagName === 'FIELDSET' ? el.querySelector('legend') : document.querySelector('label[for="' + el.id + '"]'));
    return label ? label.textContent.replace('(wajib)', '').trim().replace(/\.$/, '') : name;
  }

  // --- sending, failures and the result -----------------------------------------------------------
  function failed(message) {
    $('gagal-pesan').textContent = message;
    $('gagal').hidden = false;
    $('gagal').focus();
  }

  async function send() {
    if (state.sending) return;
    state.sending = true;
    $('kirim').disabled = $('coba-lagi').disabled = true;
    $('sedang-kirim').textContent = 'Mengirim pengaduan…';
    $('gagal').hidden = true;
    try {
      const r = await fetch('/api/v1/complaints', {method: 'POST', body: state.body,
        headers: {'Idempotency-Key': state.key, 'Accept-Language': 'id', 'Accept': 'application/json'}});
      const answer = await r.json().catch(() => ({}));
      if (r.status === 202) return accepted(answer);
      if (r.status === 422 && answer.errors) return showErrors(answer.title, answer.errors);
      if (r.status === 415 && answer.errors) return showErrors(answer.title, answer.errors);
      if (r.status >= 500 || r.status === 429) return failed((answer.detail || 'Layanan sedang tidak tersedia.') +
        ' Isian Anda masih ada; tekan "Coba lagi".');
      showErrors(answer.title || 'Pengaduan tidak dapat diproses', {_: [answer.detail || 'Kode ' + r.status]});
    } catch (e) {
      failed('Tidak dapat terhubung ke Netra. Periksa koneksi internet Anda. Isian Anda masih ada; tekan "Coba lagi": ' +
        'pengaduan tidak akan tercatat dua kali.');
    } finally {
      state.sending = false;
      $('kirim').disabled = $('coba-lagi').disabled = false;
      $('sedang-kirim').textContent = '';
    }
  }

  // The receipt is a history entry of its own (#tanda-terima): Back shows the form with a way back to the
  // receipt, Forward shows the receipt again. It stays in this page's memory only, never in storage.
  function accepted(answer) {
    clearErrors();
    $('kode').textContent = answer.tracking_code;
    $('tanda').textContent = answer.receipt;
    $('waktu-kirim').textContent = new Date().toLocaleString('id-ID', {day: 'numeric', month: 'long', year: 'numeric',
      hour: '2-digit', minute: '2-digit', timeZoneName: 'short'});
    form.reset();
    state.key = newKey();
    notice();
    history.pushState({receipt: true}, '', '#tanda-terima');
    showReceipt();
  }

  function showReceipt() {
    $('halaman-form').hidden = true;
    $('hasil').hidden = false;
    $('hasil-judul').focus();
  }

  function showForm() {
    $('hasil').hidden = true;
    $('halaman-form').hidden = false;
    $('masih-ada').hidden = !$('kode').textContent;
  }

  window.addEventListener('popstate', () => {
    if (location.hash === '#tanda-terima' && $('kode').textContent) showReceipt(); else showForm();
  });
  $('lihat-tanda').addEventListener('click', (event) => {
    event.preventDefault();
    history.pushState({receipt: true}, '', '#tanda-terima');
    showReceipt();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (state.sending) return;
    const data = new FormData(form), files = data.getAll('evidence').filter((f) => f instanceof File && f.name);
    const problems = fileProblems(files);
    if (problems) return showErrors('Periksa berkas bukti', problems);
    state.body = new FormData();
    state.body.append('complaint', JSON.stringify(documentOf(data)));
    for (const file of files) state.body.append('evidence', file);
    send();
  });
  $('coba-lagi').addEventListener('click', send);

  for (const button of document.querySelectorAll('.salin')) button.addEventListener('click', async () => {
    const text = $(button.dataset.target).textContent;
    try { await navigator.clipboard.writeText(text); } catch (e) {
      const range = document.createRange(); range.selectNodeContents($(button.dataset.target));
      getSelection().removeAllRanges(); getSelection().addRange(range); document.execCommand('copy');
    }
    $('status-salin').textContent = (button.dataset.target === 'kode' ? 'Kode pelacakan' : 'Tanda terima') + ' disalin.';
  });
  $('cetak').addEventListener('click', () => window.print());
  $('baru').addEventListener('click', (event) => {
    event.preventDefault();
    $('kode').textContent = $('tanda').textContent = $('status-salin').textContent = '';
    history.replaceState(null, '', location.pathname);
    showForm();
    form.elements['reporter.name'].focus();
  });
})();
