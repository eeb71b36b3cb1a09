// Selects, enhanced (qa_portal/widgets.py says which, from the form):
//
// - A select that depends on another (`data-depends-on="provider"`: a provider's settings) offers only
//   the options of the choice made there (each option's `data-parent`); options with no parent (the
//   blank one, "The provider as a whole") always stay. A choice that no longer fits is cleared. The
//   form refuses a pair that does not match all the same, for a browser without this script.
// - A long select (`data-autocomplete`: providers, young people) becomes GOV.UK's accessible-autocomplete
//   (static/autocomplete, loaded before this script), typed into to narrow the list. The select stays
//   in the page, hidden, and is what the form posts: each choice confirmed is set on it, with a
//   "change" event, so a select depending on it follows.
//
// Dependent selects are set up first, so an autocomplete over one starts from its narrowed options.

const optionText = (option) => (option.textContent || "").trim();

function dependOn(select) {
  const parent = select.form?.elements.namedItem(select.dataset.dependsOn);
  if (!parent) return;
  const all = Array.from(select.options, (option) => option.cloneNode(true));
  const update = () => {
    const chosen = parent.value;
    const kept = select.value;
    const fitting = all.filter((option) => !option.dataset.parent || option.dataset.parent === chosen);
    select.replaceChildren(...fitting.map((option) => option.cloneNode(true)));
    const stays = fitting.some((option) => option.value === kept);
    select.value = stays ? kept : "";
    if (!stays && kept) select.dispatchEvent(new Event("change", { bubbles: true }));
  };
  parent.addEventListener("change", update);
  update();
}

function autocomplete(select) {
  const library = window.accessibleAutocomplete;
  if (!library) return; // the select works as it is
  const id = select.id;
  const chosenOption = select.value ? select.options[select.selectedIndex] : null;
  library.enhanceSelectElement({
    selectElement: select,
    defaultValue: chosenOption ? optionText(chosenOption) : "",
    // The options as they are when typed into (a dependent select's narrowed list).
    source: (query, populate) => {
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      populate(
        Array.from(select.options)
          .filter((option) => option.value)
          .map(optionText)
          .filter((text) => words.every((word) => text.toLowerCase().includes(word))),
      );
    },
    autoselect: false,
    // A field in error shows it on the box typed in too (app.scss), as on the select.
    inputClasses: select.closest(".govuk-form-group--error") ? "app-autocomplete--error" : null,
    confirmOnBlur: true,
    onConfirm: (confirmed) => {
      const input = document.getElementById(id);
      const text = confirmed ?? input?.value ?? "";
      const match = Array.from(select.options).find((option) => option.value && optionText(option) === text.trim());
      // Text cleared, or not one of the options: nothing is chosen (the form says so if it must be).
      const value = match ? match.value : "";
      if (value === select.value) return;
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    },
  });
}

for (const select of document.querySelectorAll("select[data-depends-on]")) dependOn(select);
for (const select of document.querySelectorAll("select[data-autocomplete]")) autocomplete(select);
