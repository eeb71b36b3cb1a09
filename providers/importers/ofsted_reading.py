"""Reading Ofsted's files: the columns and the many names Ofsted gives them from one file to the next,
judgements and outcomes (and the words that mean there is none), provision types, and organisation
names that nearly match ours."""

import re

from providers.importers.parsing import Column, RowError, normalise_text
from providers.models import Judgement, ProvisionType

# Each column, with the headers Ofsted has used for it, in order of preference: the "as at" file names
# the date of the judgement "Latest full inspection date", the in-year file "Inspection date" with an
# "Inspection event type"; either may spell the judgement column out or prefix it.
OFSTED_COLUMNS = {
    "urn": Column("URN", ("urn",), required=True),
    "name": Column("Name", ("name", "setting name", "provider name")),
    "provision_type": Column("Provision type", ("provision type", "provider type")),
    "registration_date": Column("Registration date", ("registration date",)),
    "registration_status": Column("Registration status", ("registration status",)),
    "address_1": Column("Address 1", ("address 1", "address line 1", "address"), one_line=False),
    "address_2": Column("Address 2", ("address 2", "address line 2"), one_line=False),
    "address_3": Column("Address 3", ("address 3", "address line 3"), one_line=False),
    "town": Column("Town", ("town", "town/city")),
    "postcode": Column("Postcode", ("postcode", "post code")),
    "local_authority": Column("Local authority", ("local authority", "la", "local authority name")),
    "places": Column("Places", ("places", "registered places", "number of registered places", "max users")),
    "owner": Column(
        "Organisation which owns the provider",
        ("organisation which owns the provider*", "owner", "organisation name", "organisation"),
    ),
    "event_type": Column(
        "Event type", ("inspection event type", "event type", "inspection type", "type of inspection")
    ),
    "inspection_date": Column(
        "Inspection date",
        (
            "inspection date",
            "inspection start date",
            "latest full inspection date",
            "latest full inspection start date",
            "full inspection date",
            "date of latest full inspection",
            "date of inspection",
            "latest inspection date",
            "last inspection date",
            "date of last inspection",
            "inspection end date",
        ),
    ),
    "publication_date": Column(
        "Publication date",
        (
            "publication date",
            "latest full inspection publication date",
            "report publication date",
            "date of publication",
            "date published",
        ),
    ),
    "judgement": Column(
        "Overall experiences and progress of children and young people",
        (
            "overall experiences and progress*",
            "latest full inspection judgement",
            "latest full inspection overall*",
            "latest full inspection outcome",
            "overall effectiveness*",
            "overall judgement*",
            "overall outcome*",
            "outcome",
            "judgement",
            "latest judgement",
            "inspection judgement",
            "inspection outcome",
        ),
    ),
}
OFSTED_LABELS = {
    "name": "Name",
    "setting_type": "Provision type",
    "urn": "URN",
    "address": "Address 1",
    "town": "Town",
    "postcode": "Postcode",
    "local_authority": "Local authority",
    "capacity": "Places",
    "registration_status": "Registration status",
    "registration_date": "Registration date",
    "inspection_date": "Inspection date",
    "publication_date": "Publication date",
    "event_type": "Event type",
    "judgement": "Judgement",
    "sa_outcome": "Outcome",
    "setting": "URN",
}


# What Ofsted's files (and the spreadsheets people make from them) put in a judgement column when
# there is no judgement: a home registered since the last inspection round, a withheld value, a dash.
NO_JUDGEMENT_WORDS = frozenset(
    {
        "",
        "-",
        "--",
        "n/a",
        "na",
        "none",
        "null",
        "nyi",
        "not yet inspected",
        "not inspected",
        "not yet judged",
        "no judgement",
        "no judgment",
        "no inspection",
        "no outcome",
        "awaiting inspection",
        "awaiting first inspection",
        ".",
        # An interim inspection's finding, before 2020: not a judgement, and never a current one.
        "improved effectiveness",
        "sustained effectiveness",
        "declined in effectiveness",
    }
)


def means_no_judgement(value: str) -> bool:
    """True for a blank judgement cell or one of the words that mean "no judgement" ("Not yet
    inspected", "NYI", "Not inspected", "No judgement", "-", "n/a", …), ignoring case."""
    return normalise_text(value or "").strip(" *") in NO_JUDGEMENT_WORDS


def parse_judgement(value: str) -> int | None:
    """Ofsted's four-point judgement, coded 1 to 5 or in words; None when there is none
    (blank, "Not yet inspected" and the like). Raises RowError for anything else."""
    if means_no_judgement(value):
        return None
    text = normalise_text(value)
    if re.fullmatch(r"[1-5](\.0+)?", text):
        return int(text[0])
    if text.startswith("requires improvement"):
        return Judgement.REQUIRES_IMPROVEMENT
    words = {
        "outstanding": Judgement.OUTSTANDING,
        "good": Judgement.GOOD,
        "inadequate": Judgement.INADEQUATE,
        "not judged": Judgement.NOT_JUDGED,
    }
    if text in words:
        return words[text]
    raise RowError(
        f"Judgement '{value}' is not one Ofsted uses. Expected Outstanding, Good, Requires improvement to be good, "
        "Inadequate or Not judged (or 1 to 5), or Not yet inspected"
    )


def parse_sa_outcome(value: str) -> int | None:
    """A supported accommodation outcome: 1, 2 or 3, or text starting "Outcome 1" and so on; None
    when there is none (blank, "Not yet inspected" and the like)."""
    if means_no_judgement(value):
        return None
    text = normalise_text(value)
    if match := (re.fullmatch(r"([1-3])(\.0+)?", text) or re.match(r"outcome\s*([1-3])\b", text)):
        return int(match.group(1))
    raise RowError(
        f"Outcome '{value}' is not a supported accommodation outcome. Expected Outcome 1, Outcome 2 or Outcome 3 "
        "(or 1 to 3)"
    )


def setting_type_for(provision_type: str) -> str:
    """Our kind of setting for Ofsted's provision type."""
    text = normalise_text(provision_type)
    if "supported accommodation" in text:
        return ProvisionType.SUPPORTED_ACCOMMODATION
    # Before children's homes: "Residential special school (registered as a children's home)".
    if "residential special school" in text:
        return ProvisionType.RESIDENTIAL_SCHOOL
    if "children's home" in text or "childrens home" in text:
        return ProvisionType.CHILDRENS_HOME
    if "fostering" in text:
        return ProvisionType.FOSTERING
    return ProvisionType.OTHER


_LEGAL_FORMS = ("limited", "ltd", "plc", "llp", "cic")


def organisation_key(name: str) -> str:
    """An organisation's name with what does not tell organisations apart folded away: case,
    punctuation, extra spaces, "&" for "and", a leading "The" and a closing "Ltd", "Limited", "PLC",
    "LLP" or "CIC". Two names with the same key nearly match: "The Oakhurst Children's Homes Ltd"
    and "Oakhurst Childrens Homes Limited" do. Used to offer a match, never to make one unasked."""
    text = (name or "").lower().replace("\u2019", "'").replace("'", "").replace("&", " and ")
    words = re.sub(r"[^\w]+", " ", text).split()
    if words[:1] == ["the"]:
        words = words[1:]
    while words and words[-1] in _LEGAL_FORMS:
        words = words[:-1]
    return " ".join(words)
