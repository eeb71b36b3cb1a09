"""The default visit template (version 1), from DOMAIN.md ("The default visit template"). The
report's own Appendix A is not published, so this is ours. Administrators make later versions in
the admin; this one is put in place after every migrate when there is no template at all (a new
database, or after the flush between transactional tests)."""

from visits.models import TemplateQuestion, TemplateSection, VisitTemplate

LONG = "long_text"
YES_NO = "yes_no"

SECTIONS = [
    (
        1,
        "About the visit",
        "about",
        "Who visited, when and where, who else came, how the visit was arranged, and why this provider was chosen.",
        [(LONG, "Anything else about how the visit was arranged", "", False)],
    ),
    (
        2,
        "Who we met and what we saw",
        "met",
        "The young people met (their ages and whether in care or care leavers come from the register), staff and "
        "managers, and the rooms and spaces seen.",
        [],
    ),
    (
        3,
        "The home and the area",
        "",
        "",
        [
            (LONG, "The condition and maintenance of the home", "Decoration, repairs, cleanliness, furnishings", True),
            (LONG, "Security", "Entry, locks, fire safety, who can come and go", True),
            (LONG, "Amenities nearby", "Shops, transport, green space, activities", False),
            (YES_NO, "Does the young person feel safe in the area?", "", True),
            (LONG, "What they said about the area", "", False),
        ],
    ),
    (
        4,
        "Young people's views, in their own words",
        "views",
        "Quote the young people where you can. Do not record names.",
        [
            (LONG, "Do they feel safe, happy and listened to?", "", True),
            (LONG, "What they like", "", True),
            (LONG, "What they would change", "", True),
        ],
    ),
    (
        5,
        "Care, support and staff",
        "",
        "",
        [
            (LONG, "How well staff know each young person's needs", "", True),
            (LONG, "Relationships between staff and young people", "", True),
            (LONG, "The approach to care and support", "", False),
            (LONG, "Staff training", "", False),
            (LONG, "Management oversight", "", True),
        ],
    ),
    (
        6,
        "Plans and progress",
        "",
        "",
        [
            (LONG, "Care and pathway plan actions", "", True),
            (LONG, "Education, employment or training", "", True),
            (LONG, "Health", "Physical, emotional and mental health", True),
            (LONG, "Transitions", "Preparing for 18 and 25", False),
            (LONG, "Housing and immigration support", "", False),
        ],
    ),
    (
        7,
        "Safeguarding",
        "",
        "",
        [
            (YES_NO, "Did anything need action on the day?", "", True),
            (LONG, "What needed action, and what was done", "Leave blank if nothing needed action", False),
        ],
    ),
    (
        8,
        "Overall",
        "overall",
        "As a corporate parent, would this be good enough for my own child?",
        [],
    ),
    (
        9,
        "Recommendations",
        "recommendations",
        "Child-level and service-level recommendations, each specific, measurable, achievable, relevant and "
        "time-bound, with an owner and a due date.",
        [],
    ),
    (
        10,
        "The provider's comments and actions",
        "provider_response",
        "Written by the provider once the report is shared with them.",
        [],
    ),
]


def ensure_default_template(**_kwargs) -> None:
    """Create the published version 1 of the visit template unless a template exists. Connected to
    post_migrate (visits/apps.py); takes and ignores the signal's arguments."""
    if VisitTemplate.objects.exists():
        return
    template = VisitTemplate.objects.create(
        version=1, status="published", notes="The default template from the programme's design."
    )
    for number, title, special, guidance, questions in SECTIONS:
        section = TemplateSection.objects.create(
            template=template, number=number, title=title, special=special, guidance=guidance
        )
        for q_number, (kind, text, help_text, required) in enumerate(questions, start=1):
            TemplateQuestion.objects.create(
                section=section, number=q_number, kind=kind, text=text, help_text=help_text, required=required
            )
