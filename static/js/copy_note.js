// A case-record note (templates/components/case_record_note.html): its text box grown to show the
// whole note, and its Copy button. Without JavaScript the text box scrolls and the button stays hidden,
// as it does where the browser cannot write to the clipboard: the note is read-only text to select
// and copy by hand. The status line beside it says whether the copy worked, for screen readers too
// (role="status").

const notes = Array.from(document.querySelectorAll("[data-copy-note]"), (button) => ({
  button,
  id: button.dataset.copyNote,
  box: document.getElementById(button.dataset.copyNote),
})).filter((note) => note.box);

const grow = () => {
  for (const { box } of notes) {
    box.style.height = "auto";
    box.style.height = `${box.scrollHeight + box.offsetHeight - box.clientHeight}px`;
  }
};

const say = (id, text) => {
  const status = document.querySelector(`[data-copy-status="${id}"]`);
  if (status) status.textContent = text;
};

const copy = async ({ id, box }) => {
  try {
    await navigator.clipboard.writeText(box.value);
    say(id, "Note copied. Paste it into the young person's case record.");
  } catch {
    box.focus();
    box.select();
    say(id, "The note could not be copied here: it is selected, so copy it with Ctrl+C (or Cmd+C).");
  }
};

grow();
window.addEventListener("resize", grow);
if (navigator.clipboard && window.isSecureContext) {
  for (const note of notes) {
    note.button.classList.remove("govuk-!-display-none");
    note.button.addEventListener("click", () => copy(note));
  }
}
