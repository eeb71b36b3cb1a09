"""Documents that no web request waits for: any PDF or spreadsheet big enough to take more than a
couple of seconds is made by the worker, with a progress bar, and kept for its requester to
download (README: "Big documents").

- models: Document, one per request, with its status, progress and file;
- kinds: the registry of kinds (each app registers its own in AppConfig.ready()), BuiltFile and
  Progress;
- services: `respond` (a download view's answer: the file now if small, a queued document if
  not), asking for one, trying again, the catch-up's part;
- making: the worker's side, and the rules every background build shares with the committee
  pack (taking it once, the heartbeat, taking up stalled ones);
- views, urls: "Your documents", each document's page with its progress, the download.

Kept free of imports here: qa_portal.models imports the model from this package.
"""
