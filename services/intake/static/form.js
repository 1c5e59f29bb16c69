"use strict";
document.getElementById('pengaduan').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target), doc = {reporter: {}, subject: {}, violation: {}, declaration: f.has('declaration')};
  for (const [k, v] of f.entries()) {
    const [group, field] = k.split('.');
    if (!field || v === '' || v instanceof File) continue;
    doc[group][field] = field === 'post_urls' ? v.split(/\s+/).filter(Boolean) : field === 'anonymous' ? true : v;
  }
  const body = new FormData();
  body.append('complaint', JSON.stringify(doc));
  for (const file of f.getAll('evidence')) if (file.size) body.append('evidence', file);
  const r = await fetch('/api/v1/complaints', {method: 'POST', body});
  const j = await r.json();
  if (r.status === 202) {
    document.getElementById('kode').textContent = j.tracking_code;
    document.getElementById('tanda').textContent = j.receipt;
    document.getElementById('hasil').style.display = 'block';
    document.getElementById('galat').textContent = '';
  } else {
    document.getElementById('galat').textContent = j.title + ': ' +
      Object.entries(j.errors || {}).map(([k, m]) => k + ' — ' + m.join(' ')).join('; ');
  }
});
