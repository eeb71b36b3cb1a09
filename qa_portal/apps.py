from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    default = True
    name = "qa_portal"
    verbose_name = "QA Portal"

    def ready(self):
        from cachalot.signals import post_invalidation
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in
        from django.db import connections
        from django.db.backends.signals import connection_created

        from qa_portal import (
            access_rules,  # noqa: F401  registers who may see users and documents
            checks,  # noqa: F401  registers the start-up checks
            second_factor,
        )
        from qa_portal.catchup import register as register_catch_up_step
        from qa_portal.roles import sync_roles
        from qa_portal.session_lifetime import record_sign_in
        from qa_portal.table_versions import install as time_again_after_writes
        from qa_portal.table_versions import note_write_outside_transaction

        # A deployment that would let an administrator in on a password alone does not start.
        if problem := second_factor.roles_setting_problem():
            raise ImproperlyConfigured(problem)

        # Documents left waiting or half-made are taken up by every catch-up.
        register_catch_up_step("qa_portal.documents.services.documents_catch_up")

        # Every write sets its table's time (django-cachalot), so nothing kept from that table is served
        # again; one made outside a transaction sets it again once it has run (qa_portal.table_versions).
        post_invalidation.connect(note_write_outside_transaction, dispatch_uid="qa_portal.table_versions")
        connection_created.connect(time_again_after_writes, dispatch_uid="qa_portal.table_versions")
        for existing in connections.all(initialized_only=True):
            time_again_after_writes(connection=existing)

        # Every sign-in, however it is made, starts the session's absolute lifetime.
        user_logged_in.connect(record_sign_in, dispatch_uid="qa_portal.session_lifetime")

        # Groups and their permissions follow qa_portal.roles after every migrate (and
        # after the flush between transactional tests). Tied to the last installed app
        # so that every app's permissions exist by the time it runs (post_migrate is
        # only sent for apps that have models).
        last_app = [app for app in apps.get_app_configs() if app.models_module is not None][-1]
        post_migrate.connect(sync_roles, sender=last_app, dispatch_uid="qa_portal.sync_roles")


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "qa_portal.admin_site.PortalAdminSite"
