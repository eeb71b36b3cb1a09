"""Helpers for the tests of `manage.py import_ofsted`: a CSV laid out as Ofsted publishes it, running the
command on it, and reading the command's report."""

import csv
import io

from django.core.management import call_command

HEADER = [
    "Web link",
    "URN",
    "Provision type",
    "Registration date",
    "Registration status",
    "Name",
    "Address 1",
    "Town",
    "Postcode",
    "Ofsted Region",
    "Local authority",
    "Sector",
    "Places",
    "Organisation which owns the provider",
    "Event type",
    "Inspection date",
    "Publication date",
    "Overall experiences and progress of children and young people",
]


def ofsted_row(urn, **values):
    row = {
        "Web link": f"https://reports.ofsted.gov.uk/provider/2/{urn}",
        "URN": urn,
        "Provision type": "Children's home",
        "Registration date": "01/04/2015",
        "Registration status": "Active",
        "Name": f"Home {urn}",
        "Address 1": "1 High Street",
        "Town": "Canterbury",
        "Postcode": "CT1 2AA",
        "Ofsted Region": "South East",
        "Local authority": "Kent",
        "Sector": "Private",
        "Places": "4",
        "Organisation which owns the provider": "Harbour Lights Fostering",
        "Event type": "Full inspection",
        "Inspection date": "12/03/2024",
        "Publication date": "02/04/2024",
        "Overall experiences and progress of children and young people": "2",
    }
    row.update(values)
    return row


def ofsted_csv(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def run_import(tmp_path, content, *args):
    path = tmp_path / "ofsted.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = io.StringIO()
    call_command("import_ofsted", str(path), *args, stdout=out)
    return out.getvalue()


def counts(output):
    wanted = ("Created", "Updated", "Unchanged", "Rejected", "Skipped")
    return {
        name.lower(): int(value)
        for name, _, value in (line.partition(": ") for line in output.splitlines())
        if name in wanted
    }


def rejections(output):
    return [line for line in output.splitlines() if line.startswith("line ")]
