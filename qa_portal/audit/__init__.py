"""The portal's audit records, in the base because they know no app: who saw whose personal data
(qa_portal.access_log) and who changed whose roles and permissions (qa_portal.account_changes).

The models live in `models.py`, imported by qa_portal/models.py so Django finds them."""
