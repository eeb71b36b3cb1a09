"""The session store: Django's database sessions, saved in one statement.

SESSION_SAVE_EVERY_REQUEST is on (the idle timeout restarts with every request: qa_portal.middleware.
SessionExpiryMiddleware), so every signed-in request saves its session. Django's database store saves
an existing session inside a transaction of its own: BEGIN, UPDATE, COMMIT, three round trips to
PostgreSQL on every page. One UPDATE is as atomic on its own, so this store sends just that. A new
session is created exactly as Django does it (an INSERT that must not find the key taken)."""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import router


class SessionStore(DatabaseSessionStore):
    def save(self, must_create=False):
        """Saves the session. An existing one is updated in one statement; if it has gone meanwhile
        (signed out in another tab, or cleared) UpdateError is raised, as Django's store does, and
        SessionMiddleware answers SessionInterrupted."""
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        data = self._get_session()
        using = router.db_for_write(self.model)
        updated = (
            self.model.objects.using(using)
            .filter(session_key=self.session_key)
            .update(session_data=self.encode(data), expire_date=self.get_expiry_date())
        )
        if not updated:
            raise UpdateError
