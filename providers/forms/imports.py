"""The upload form of the imports (providers.importers)."""

from pathlib import PurePath

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from providers.importers import IMPORTERS, ImportFileError, decode_csv
from qa_portal.inputs import uploads
from qa_portal.inputs.forms import PortalForm
from qa_portal.intentions import Submit


class ImportUploadForm(PortalForm):
    """The file to import: a CSV of at most FILE_UPLOAD_MAX_MEGABYTES, all text, that has the columns the
    importer needs."""

    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded. Try again",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.text = ""
        self.rows = 0  # data rows in the file, once it is valid
        self.helper = FormHelper()
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(Field("file"), Submit("submit", "Upload and check the file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > uploads.max_upload_bytes():
            raise forms.ValidationError(uploads.too_big_message())
        if PurePath(upload.name).suffix.lower() not in (".csv", ".txt"):
            raise forms.ValidationError("The selected file must be a CSV")
        try:
            self.text = decode_csv(upload.read())
            self.rows = IMPORTERS[self.kind]().check_columns(self.text)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
