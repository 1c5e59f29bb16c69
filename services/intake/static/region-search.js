"use strict";
// The region picker's search: filters the server-rendered <select> (which works alone without JavaScript)
// and picks the one region left when the words match only one.
(() => {
  const $ = (id) => document.getElementById(id);
  const select = $('f-subject-region_code'), search = $('cari-wilayah');
  search.parentElement.hidden = false;
  search.addEventListener('input', () => {
    const words = search.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    let shown = 0, last = null;
    for (const group of select.querySelectorAll('optgroup')) {
      const province = group.label.toLowerCase();
      let any = false;
      for (const option of group.querySelectorAll('option')) {
        const text = (province + ' ' + option.textContent).toLowerCase();
        option.hidden = !words.every((w) => text.includes(w));
        if (!option.hidden) { any = true; shown += 1; last = option; }
      }
      group.hidden = !any;
    }
    if (shown === 1) select.value = last.value;
    $('cari-hasil').textContent = words.length ? (shown ? shown + ' wilayah cocok' + (shown === 1 ? ' dan dipilih: ' +
      last.textContent : '; pilih dari daftar di bawah.') : 'Tidak ada wilayah yang cocok.') : '';
  });
})();
