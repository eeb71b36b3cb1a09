"""Measure the committee pack alone: make the pack of about N visits from a bench database, in this
process, and print its seconds and peak memory (issue 15: 100 visits within 30 s and 400 MB).

    python -m bench.pack [--visits 100] [--database NAME] [--out PATH] [--steps]

The period ends with the last full financial year, as `bench.run`'s does (bench/plan.py), and starts
on the date of the Nth visit before its end, so it holds N visits or a few more (or every visit
before its end, if there are fewer: a tenth of the regional size has 1,000 visits in six years). The
database must be one of the bench's (bench/database.py); it is only read. Prints one JSON line:
the visits, pages and bytes of the PDF, the seconds of the making (Django's start-up not counted) and
the CPU seconds it took (which a busy machine changes less), the process's peak resident memory
(`resource.getrusage`, start-up included) and the machine's load averages before and after, since
the machine is shared and the seconds are only as good as those.
"""

import argparse
import json
import os
import resource
import sys
import time
from datetime import date
from io import BytesIO

from bench import config, database


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=100)
    parser.add_argument("--database", default=config.database_name("small"))
    parser.add_argument("--out", default=str(config.VAR / "committee-pack.pdf"))
    parser.add_argument("--steps", action="store_true", help="print each step's time and memory to stderr")
    options = parser.parse_args(argv)
    try:
        database.check(options.database)
    except database.NotABenchDatabase as refused:
        print(refused, file=sys.stderr)
        return 2
    config.setup_django(options.database)

    from pypdf import PdfReader

    from qa_portal.periods import FinancialYear
    from qa_portal.reporting.committee.figures import default_title
    from qa_portal.reporting.committee.pack import PackSource, build_pack
    from visits.models import Visit

    year = FinancialYear.last_full()
    dates = list(
        Visit.objects.held_between(date(2000, 1, 1), year.end)
        .order_by("-visit_date")
        .values_list("visit_date", flat=True)[: options.visits]
    )
    start = dates[-1] if dates else year.start
    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()

    def step(percent, message):
        print(
            f"{time.monotonic() - started:7.1f} s  {resident_mb():6.0f} MB now, "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MB peak  {percent:3d}% {message}",
            file=sys.stderr,
            flush=True,
        )

    source = PackSource(title=default_title(start, year.end), period_start=start, period_end=year.end)
    pdf, figures = build_pack(source, progress=step if options.steps else None)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak_mb = after.ru_maxrss / 1024
    config.VAR.mkdir(parents=True, exist_ok=True)
    with open(options.out, "wb") as out:
        out.write(pdf)
    result = {
        "period": [start.isoformat(), year.end.isoformat()],
        "visits": figures.visits,
        "pages": len(PdfReader(BytesIO(pdf)).pages),
        "bytes": len(pdf),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "peak_mb": round(peak_mb),
        "load_before": [round(load, 1) for load in load_before],
        "load_after": [round(load, 1) for load in os.getloadavg()],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
