"""The portal's copy of the admin's forms.css (static/admin/css/forms.css) is Django's own without its
@import, so that the admin looks as Django made it and axe-core can check it without breaking the
portal's Content-Security-Policy (the copy's first comment says why)."""

from pathlib import Path

import django.contrib.admin
from django.conf import settings
from django.contrib.staticfiles import finders

DJANGOS = Path(django.contrib.admin.__file__).parent / "static" / "admin" / "css" / "forms.css"
OURS = Path(settings.BASE_DIR) / "static" / "admin" / "css" / "forms.css"


def test_the_admin_is_served_the_portals_copy_of_forms_css():
    assert Path(finders.find("admin/css/forms.css")) == OURS


def test_the_copy_is_djangos_forms_css_without_its_import():
    djangos = DJANGOS.read_text().splitlines()
    assert djangos[0] == "@import url('widgets.css');", "Django's forms.css changed: copy it again, without the import"
    ours = OURS.read_text().split("*/", 1)[1].splitlines()[1:]
    assert ours == djangos[1:], "Django's forms.css changed: copy it again, without the import"
    assert "@import" not in OURS.read_text()
