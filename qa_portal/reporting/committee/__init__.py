"""The committee pack: the annual report on quality assurance of care providers to elected members.

The figures come from the data (`counting.committee_figures`, in a fixed number of queries whatever
the size of the year); the narrative (introduction, learning, future plans) is what managers
drafted on the report's page. A pack is made in the background (`build.committee_pack_build`, run by
the `build_committee_pack` task) and every version is kept with its PDF in the database.

The pack mirrors the City of London's 2024-25 annual report: title page, contents, 1
Introduction, 2 Quality Assurance Visits, 3 Commissioning Review Meetings, 4 Impact and
Outcomes, 5 You Said, We Did (what young people asked for on visits beside what was done, naming
nobody: issue 17), 6 Focus on children with SEND, 7 Learning, 8 Future Plans, the Ofsted ratings of
the providers used, and an appendix holding each visit report, rendered by the very template of the
single visit report.

In the report itself children and young people appear only as counts, ages and cohorts: never
names, initials or case-record IDs. The appendix prints each visit report as it stands, where
they appear by initials, as they do in the single report.

Modules: `figures` (what the pack counts, as data), `counting` (the queries), `charts`,
`pack` (the narrative and the PDF), `build` (the worker's making of a version) and `services`
(generate, resend, save the narrative, start a report).
"""

from qa_portal.inputs import limits

# Who may see and make committee packs: the permission decides (managers and the QA lead).
PERMISSION = "reporting.view_committee_pack"
MAX_NARRATIVE = limits.NARRATIVE
