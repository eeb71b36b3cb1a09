"""The downloads of this app that can be made in the background (qa_portal.documents), registered
by ProvidersConfig.ready()."""

from providers.views import register as provider_views
from qa_portal.documents import kinds


def register_documents() -> None:
    kinds.register(
        kinds.Kind(
            name=provider_views.PROVIDERS_DOCUMENT,
            label="List of providers",
            build=provider_views.provider_file,
            stream_csv=provider_views.provider_csv,
            permission="providers.view_provider",
            formats=("csv", "xlsx"),
            noun="provider",
            list_url_name="providers:provider_list",
        )
    )
