"""The project's own benchmark (`make bench`, `make bench-quick`; README: Performance).

Not part of the test suite: it makes its own databases of a regional consortium's size (and a tenth
of it), runs the portal under gunicorn as the README deploys it, and measures pages, downloads, PDFs,
the daily jobs and 50 concurrent users against targets given as ratios to a floor measured in the
same run. Nothing here is imported by the portal.
"""
