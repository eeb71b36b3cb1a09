"""Reading a form's errors as the user sees them, for the provider register's form tests."""

import html as html_lib
import re


def errors_beside(html, field):
    """The error messages shown beside one field, as the user reads them."""
    found = re.findall(
        rf'<[a-z]+ id="id_{field}_\d+_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>(.*?)</[a-z]+>',
        html,
        re.S,
    )
    return [html_lib.unescape(" ".join(message.split())) for message in found]
