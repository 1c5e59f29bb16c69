"use strict";
// The receipt's field: a "show" button, so a long receipt can be checked while typing it on a phone.
(() => {
  const field = document.getElementById('tanda_terima'), button = document.getElementById('tampilkan-tanda');
  if (!field || !button) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    const shown = field.type === 'password';
    field.type = shown ? 'text' : 'password';
    button.textContent = shown ? 'Sembunyikan' : 'Tampilkan';
    button.setAttribute('aria-pressed', String(shown));
  });
})();
