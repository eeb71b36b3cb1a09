"""Template comments: Django's `{# ... #}` ends at the end of its line, so one spread over two lines
is rendered as text on the page. Longer comments use `{% comment %}`."""

from pathlib import Path

from django.apps import apps
from django.conf import settings


def template_files():
    """Every file under the project's templates/ and each installed app of ours' templates/."""
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
    roots += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(settings.BASE_DIR) and (Path(app.path) / "templates").is_dir()
    ]
    return sorted(path for root in roots for path in root.rglob("*") if path.is_file())


def test_the_templates_are_found():
    assert Path(settings.BASE_DIR, "templates", "visits", "section_page.html") in template_files()


def test_no_template_comment_runs_past_the_end_of_its_line():
    unclosed = []
    for path in template_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            opened = line.find("{#")
            if opened != -1 and "#}" not in line[opened + 2 :]:
                unclosed.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert unclosed == [], "use {% comment %} for comments over several lines"
