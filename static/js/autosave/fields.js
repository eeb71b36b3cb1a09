// The answers of a section page, each read and written as the text the server compares
// (visits.services.serialise): text as typed, the chosen option's value, or the chosen options'
// values sorted and joined with commas.
//
// An answer autosaves when the form carries its base: a hidden `<name>__base` input holding the
// value the page was rendered with, or last saved.

const BASE = "__base";
// Control characters but tab, line feed and carriage return (qa_portal/inputs/text.py): pasted from a
// PDF or a terminal, they are not saved; the form, saved as a whole, says so beside the box.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

const sortedValues = (values) => {
  const numbers = values.every((value) => /^\d+$/.test(value));
  return [...values].sort(numbers ? (a, b) => Number(a) - Number(b) : undefined);
};

const words = (element) => (element?.textContent || "").replace(/\s+/g, " ").trim();

function field(form, name, elements, baseInput) {
  const first = elements[0];
  const kind =
    first.type === "radio"
      ? "radios"
      : first.type === "checkbox"
        ? "checkboxes"
        : first.tagName === "SELECT"
          ? "select"
          : "text";
  const group = first.closest(".govuk-form-group");
  const optionLabel = (value) => {
    if (kind === "select") return words(Array.from(first.options).find((o) => o.value === value)) || value;
    const input = elements.find((element) => element.value === value);
    return input ? words(form.querySelector(`label[for="${input.id}"]`)) : value;
  };
  return {
    name,
    kind,
    elements,
    group,
    // Radios, checkboxes and selects save as soon as they change; text once typing pauses.
    chosen: kind !== "text",
    get base() {
      return baseInput.value;
    },
    set base(text) {
      baseInput.value = text;
    },
    /** What is sent: a list of values for checkboxes, text otherwise. */
    value() {
      if (kind === "radios") return elements.find((element) => element.checked)?.value ?? "";
      if (kind === "checkboxes") return sortedValues(elements.filter((e) => e.checked).map((e) => e.value));
      return first.value.replace(CONTROL_CHARACTERS, "");
    },
    /** The value as one text, as the server writes the base. */
    text() {
      const value = this.value();
      return Array.isArray(value) ? value.join(",") : value;
    },
    setText(text) {
      if (kind === "radios") {
        for (const element of elements) element.checked = element.value === text;
      } else if (kind === "checkboxes") {
        const chosen = new Set(text.split(",").filter(Boolean));
        for (const element of elements) element.checked = chosen.has(element.value);
      } else {
        first.value = text;
      }
    },
    /** A value in the words the page shows it in. */
    display(text) {
      if (!text) return "(blank)";
      if (kind === "text") return text;
      const values = kind === "checkboxes" ? text.split(",") : [text];
      return values.map(optionLabel).join("; ");
    },
    label() {
      return words(group?.querySelector("legend, label.govuk-label")) || name;
    },
    focus() {
      (elements.find((element) => element.checked) || first).focus();
    },
    id: first.id,
  };
}

/** Every answer of the form that autosaves: a Map of name to field. */
export function collectFields(form) {
  const fields = new Map();
  for (const baseInput of form.querySelectorAll(`input[type="hidden"][name$="${BASE}"]`)) {
    const name = baseInput.name.slice(0, -BASE.length);
    const elements = Array.from(form.elements).filter((element) => element.name === name && element !== baseInput);
    if (elements.length) fields.set(name, field(form, name, elements, baseInput));
  }
  return fields;
}
