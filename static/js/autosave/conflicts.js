// The panel shown below an answer someone else changed while the visitor was writing: their
// version, and the visitor's choice between the two. The visitor's version stays in the field.
// The same panel is drawn by the server after a plain form post (templates/visits/_conflict.html,
// with radios for the choice); here its radios become two buttons that act at once.

const element = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

function choiceButtons(onKeepMine, onUseTheirs) {
  const group = element("div", "govuk-button-group govuk-!-margin-bottom-0");
  const mine = element("button", "govuk-button govuk-button--secondary govuk-!-margin-bottom-0", "Keep my version");
  const theirs = element("button", "govuk-button govuk-button--secondary govuk-!-margin-bottom-0", "Use their version");
  for (const button of [mine, theirs]) {
    button.type = "button";
    button.dataset.module = "govuk-button";
  }
  mine.addEventListener("click", onKeepMine);
  theirs.addEventListener("click", onUseTheirs);
  group.append(mine, theirs);
  return group;
}

/** Turns the server's panel for `field` into one with buttons; answers its element. */
export function adoptPanel(panel, { onKeepMine, onUseTheirs }) {
  panel.querySelector("[data-conflict-choice]")?.replaceWith(choiceButtons(onKeepMine, onUseTheirs));
  return panel;
}

/** A new panel below `field` showing `theirs` (as text the server compares) with `message`. */
export function showPanel(field, { theirs, theirsDisplay, by, message }, { onKeepMine, onUseTheirs }) {
  document.getElementById(`conflict-${field.name}`)?.remove();
  const panel = element("div", "govuk-inset-text app-conflict");
  panel.id = `conflict-${field.name}`;
  panel.dataset.conflictFor = field.name;
  panel.tabIndex = -1;
  const quote = element("p", "govuk-body app-conflict__theirs", theirsDisplay || field.display(theirs));
  quote.style.whiteSpace = "pre-wrap";
  panel.append(
    element("h2", "govuk-heading-s govuk-!-margin-bottom-2", `Two versions of “${field.label()}”`),
    element("p", "govuk-body", message),
    element(
      "p",
      "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1",
      by ? `The version ${by} saved:` : "The version saved since:",
    ),
    quote,
    element("p", "govuk-body govuk-!-font-weight-bold", "Which version do you want to keep?"),
    choiceButtons(onKeepMine, onUseTheirs),
  );
  (field.group || field.elements[0]).after(panel);
  return panel;
}

/** After the choice: the panel goes, and so does the field's error message about the conflict. */
export function closePanel(field, panel) {
  panel.remove();
  if (!field.group) return;
  field.group.classList.remove("govuk-form-group--error");
  field.group.querySelector(".govuk-error-message")?.remove();
  for (const input of field.elements) {
    input.classList.remove("govuk-input--error", "govuk-textarea--error", "govuk-select--error");
  }
}
