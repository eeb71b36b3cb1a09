"""No admin for the visit template, on purpose: administrators edit it in the portal's editor
(visits.views.template_editor, /visit-template/), which keeps every published version as visits
rely on it and checks a draft before it is published. Visits themselves are written up in the portal."""
