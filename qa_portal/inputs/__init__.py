"""Input hardening, one mechanism per kind of input, so that no input breaks a page (README: Inputs).

- `text`: what counts as text. Control characters (NUL and the other C0 and C1 controls but tab,
  line feed and carriage return) and lone surrogates are not: PostgreSQL refuses NUL outright, and
  the others break spreadsheets and PDFs or hide in what people read.
- `limits`: how long each kind of text may be (names, reasons, summaries, narrative), enforced by
  the form, the model's full_clean, the visit autosave and the imports alike.
- `forms`: `PortalForm` and `PortalModelForm`, the base of every form in the portal: a text box
  holding a control character is sent back with the character taken out and a message beside it,
  and every text box has a maximum length with a message that says it.
- `middleware`: control characters are taken out of every query string (the list is shown, with a
  message), and a JSON body that could not be stored is refused with 400 and a JSON error.
- `uploads`: an uploaded file is refused beside its field when it is too big or is not text.
"""
