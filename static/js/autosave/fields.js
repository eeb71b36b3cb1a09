// The answers of a section page, each read and written as the text the server compares
// (visits.services.serialise): text as typed, the chosen option's value, or the chosen options'
// values sorted and joined with commas.
//
// An answer autosaves when the form carries its base: a hidden `<name>__base` input holding the
// value the page was rendered with, or last saved.
//
// A date is GOV.UK's date input, three boxes (`<name>_day`, `<name>_month`, `<name>_year`), sent as
// one text, "day/month/year" with the day and month in two digits, as the server writes the base
// (dd/mm/yyyy); the server reads half-filled boxes ("3//2024") as the boxes they came from.

const BASE = "__base";
// Control characters but tab, line feed and carriage return (qa_portal/inputs/text.py): pasted from a
// PDF or a terminal, they are not saved; the form, saved as a whole, says so beside the box.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

const sortedValues = (values) => {
  const numbers = values.every((value) => /^\d+$/.test(value));
  return [...values].sort(numbers ? (a, b) => Number(a) - Number(b) : undefined);
};

const DATE_PARTS = ["day", "month", "year"];
const twoDigits = (text) => (/^\d$/.test(text) ? `0${text}` : text);

/** A date's boxes as the text sent: "" when all are blank. */
function dateText(boxes) {
  const [day, month, year] = boxes.map((box) => box.value.replace(CONTROL_CHARACTERS, "").trim());
  if (!day && !month && !year) return "";
  return `${twoDigits(day)}/${twoDigits(month)}/${year}`;
}

/** Fill a date's boxes from dd/mm/yyyy (or yyyy-mm-dd); anything else goes in the day's box. */
function setDateText(boxes, text) {
  const dayFirst = /^(\d{1,2})\/(\d{1,2})\/(\d{1,4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const parts = dayFirst
    ? dayFirst.slice(1)
    : iso
      ? [iso[3], iso[2], iso[1]]
      : [text, "", ""];
  boxes.forEach((box, index) => {
    box.value = parts[index].replace(/^0(\d)$/, "$1");
  });
}

const words = (element) => (element?.textContent || "").replace(/\s+/g, " ").trim();

function field(form, name, elements, baseInput) {
  const first = elements[0];
  const kind = elements.dateInput
    ? "date"
    : first.type === "radio"
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
    chosen: kind !== "text" && kind !== "date",
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
      if (kind === "date") return dateText(elements);
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
      } else if (kind === "date") {
        setDateText(elements, text);
      } else {
        first.value = text;
      }
    },
    /** A value in the words the page shows it in. */
    display(text) {
      if (!text) return "(blank)";
      if (kind === "text" || kind === "date") return text;
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
    let elements = Array.from(form.elements).filter((element) => element.name === name && element !== baseInput);
    if (!elements.length) {
      const boxes = DATE_PARTS.map((part) => form.elements.namedItem(`${name}_${part}`));
      if (boxes.every(Boolean)) elements = Object.assign(boxes, { dateInput: true });
    }
    if (elements.length) fields.set(name, field(form, name, elements, baseInput));
  }
  return fields;
}
