"""Make one queued document (a big download) as the worker would, in this process.

    python -m bench.document --database NAME ID      prints {"outcome", "rows", "bytes"} as JSON

The bench runs no Celery worker (its catch-up would run the daily jobs for real on the bench
database); a download that the portal hands to the worker is made here instead, by the worker's
own code (qa_portal.documents.making.document_build), in a process of its own so that the bench can
time it and read its peak memory.
"""

import argparse
import json
import sys

from bench import config


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("document", type=int)
    args = parser.parse_args(argv)
    config.setup_django(args.database)
    from qa_portal.documents.making import document_build
    from qa_portal.documents.models import Document

    outcome = document_build(document_id=args.document, worker="bench")
    document = Document.objects.filter(pk=args.document).values("rows", "status", "size").first() or {}
    json.dump({"outcome": outcome, **document}, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
