// The Copy button of a case-record note (templates/components/case_record_note.html). Without
// JavaScript, or where the browser cannot write to the clipboard, the button stays hidden and the
// note is a read-only text area to select and copy by hand. The status line beside it says whether
// the copy worked, for screen readers too (role="status").

const say = (id, text) => {
  const status = document.querySelector(`[data-copy-status="${id}"]`);
  if (status) status.textContent = text;
};

const copy = async (button) => {
  const id = button.dataset.copyNote;
  const note = document.getElementById(id);
  if (!note) return;
  try {
    await navigator.clipboard.writeText(note.value);
    say(id, "Note copied. Paste it into the young person's case record.");
  } catch {
    note.focus();
    note.select();
    say(id, "The note could not be copied here: it is selected, so copy it with Ctrl+C (or Cmd+C).");
  }
};

if (navigator.clipboard && window.isSecureContext) {
  for (const button of document.querySelectorAll("[data-copy-note]")) {
    button.hidden = false;
    button.addEventListener("click", () => copy(button));
  }
}
