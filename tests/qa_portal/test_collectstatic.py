"""The static files collect as a deployment collects them (README: Deploying): into a manifest, which
refuses a file that names another it cannot find (a source map a minified script points at, an image
a stylesheet uses). A failure here is a deployment that cannot start. (The deployment's WhiteNoise
storage is this manifest storage plus compression, which takes longer and checks nothing more.)"""

from django.core.management import call_command
from django.test import override_settings


def test_every_static_file_collects_into_the_deployments_manifest(tmp_path, settings):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)

    manifest = (tmp_path / "staticfiles.json").read_text()
    for collected in ("css/app.css", "autocomplete/accessible-autocomplete.min.js", "js/selects.js"):
        assert f'"{collected}"' in manifest
