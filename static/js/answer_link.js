// A link to one answer of a visit section (`#answer-<field name>`, from the list of what is missing on
// the check page) puts the cursor in that answer, as GOV.UK's error summary does for its links: the
// first box, radio or checkbox of the field, its label or legend scrolled into view with it.

const focusAnswer = () => {
  const match = /^#answer-([\w-]+)$/.exec(window.location.hash);
  const form = document.querySelector("form[data-autosave-url]");
  if (!match || !form) return;
  const name = match[1];
  const input = Array.from(form.elements).find(
    (element) =>
      element.type !== "hidden" &&
      (element.name === name || element.name.startsWith(`${name}_`) || element.name.startsWith(`${name}-`)),
  );
  if (!input) return;
  const group = input.closest(".govuk-form-group") || input;
  group.scrollIntoView({ block: "start" });
  input.focus({ preventScroll: true });
};

focusAnswer();
window.addEventListener("hashchange", focusAnswer);
