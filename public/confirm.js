// The site's script, loaded by every page from a file (the Content-Security-Policy runs no inline
// script and no on...= attribute). Every page works without it.

// Asks before a destructive form is sent (forms with data-confirm), and marks it confirmed so the
// server does not ask again. Without JavaScript the server shows its own confirmation page.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  if (!form.querySelector('input[name="confirmed"]')) {
    var field = document.createElement('input');
    field.type = 'hidden';
    field.name = 'confirmed';
    field.value = 'yes';
    form.appendChild(field);
  }
});

// A link shown once to be copied (an invitation's: input.copy, read-only) is selected whole when
// clicked or reached with the keyboard, ready to copy. Without JavaScript it is selected by hand.
function selectCopyField(event) {
  var field = event.target;
  if (field instanceof HTMLInputElement && field.classList.contains('copy')) field.select();
}
document.addEventListener('click', selectCopyField);
document.addEventListener('focusin', selectCopyField);
