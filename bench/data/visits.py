"""Six years of QA visits on every step of their path, with answers, steps and young people met."""

from datetime import timedelta

from bench import texts
from bench.data.base import WRITERS, Base, at, pick


class Visits(Base):
    """Visits spread over six years, their status by their age."""

    def visits(self):
        from visits.models import Answer, CaseRecordEntry, TemplateQuestion, Visit, VisitEvent, VisitTemplate

        rng = self.rng
        template = VisitTemplate.objects.get(status="published")
        questions = list(
            TemplateQuestion.objects.filter(section__template=template).order_by("section__number", "number")
        )
        leaders = self.staff["senior_leader"]
        qa_leads = self.staff["qa_lead"]
        weights = [w**0.7 for w in self.weights]
        visits = []
        for n, provider in enumerate(rng.choices(self.providers_list, weights=weights, k=self.size.visits)):
            day = self.today - timedelta(days=rng.randint(-60, 6 * 365)) if rng.random() > 0.01 else self.today
            if n < WRITERS:
                day = self.today + timedelta(days=rng.randint(1, 30))  # each writer's visit planned soon
            age = (self.today - day).days
            if age < 0:
                status = "draft"
            elif age <= 30:
                status = pick(rng, {"draft": 40, "submitted": 30, "shared": 20, "responded": 10})
            elif age <= 90:
                status = pick(rng, {"submitted": 10, "shared": 20, "responded": 30, "finalised": 40})
            else:
                status = pick(rng, {"finalised": 97, "responded": 3})
            lead = rng.choice(leaders) if rng.random() < 0.8 else rng.choice(qa_leads)
            if n < WRITERS:
                lead = leaders[n % len(leaders)]
            settings = self.settings_by_provider[provider.pk]
            held = age >= 0 and (status != "draft" or rng.random() < 0.6)
            done = status != "draft"
            visit = Visit(
                provider=provider,
                setting=rng.choice(settings) if rng.random() < 0.85 else None,
                template=template,
                status=status,
                planned_date=day - timedelta(days=rng.randint(0, 10)) if age >= 0 else day,
                visit_date=day if held else None,
                lead_visitor=lead,
                lead_visitor_role=lead.job_title,
                others_present=texts.attendees(rng, rng.randint(1, 3)) if rng.random() < 0.5 else "",
                young_inspectors=rng.choice((0, 0, 0, 1, 2)),
                how_arranged=pick(rng, {"announced": 70, "short_notice": 20, "unannounced": 10}),
                reasons=rng.sample(
                    ["number", "vulnerability", "new_provider", "concerns", "high_cost", "other"], rng.randint(1, 3)
                ),
                others_spoken_to=rng.choice((0, 0, 1, 2)),
                staff_met=texts.attendees(rng, rng.randint(1, 4)) if held else "",
                spaces_seen="Lounge, kitchen, garden and two bedrooms (with the young people's agreement)."
                if held
                else "",
                overall_judgement=pick(rng, {"yes": 65, "with_reservations": 28, "no": 7}) if done else "",
                overall_summary=texts.paragraph(rng, 700, most=8_000) if done else "",
                response_due=day + timedelta(days=16) if status in ("shared", "responded", "finalised") else None,
                provider_comment=texts.paragraph(rng, 350) if status in ("responded", "finalised") else "",
                created_at=at(day - timedelta(days=rng.randint(14, 45)), 9),
            )
            visit._history_date = visit.created_at
            visits.append(visit)
        self.bulk(Visit, visits, history=True)
        self.visits_list = visits

        answers, events, met, entries = [], [], [], []
        through = Visit.young_people_met.through
        for visit in visits:
            day = visit.visit_date or visit.planned_date
            events.append(VisitEvent(visit=visit, step="planned", by=visit.lead_visitor, at=visit.created_at))
            if visit.visit_date:
                share = 1.0 if visit.status != "draft" else rng.random()
                for question in questions:
                    if visit.status == "draft" and rng.random() > share:
                        continue
                    if not question.required and rng.random() < 0.3:
                        continue
                    if question.kind == "yes_no":
                        choice = "yes" if rng.random() < (0.1 if "action" in question.text else 0.85) else "no"
                        text = ""
                    else:
                        choice, text = "", texts.paragraph(rng, 420)
                    answers.append(
                        Answer(
                            visit=visit,
                            question=question,
                            text=text,
                            choice=choice,
                            updated_at=at(min(self.today, day + timedelta(days=rng.randint(0, 5))), 16),
                            updated_by=visit.lead_visitor,
                        )
                    )
                placed = self.placed_on(visit.provider_id, day) or self.ever_placed(visit.provider_id)
                chosen = rng.sample(placed, min(len(placed), rng.randint(1, 4))) if placed else []
                visit.met = chosen
                met.extend(through(visit_id=visit.pk, youngperson_id=person) for person in chosen)
            steps = {
                "submitted": ["submitted"],
                "shared": ["submitted", "shared"],
                "responded": ["submitted", "shared", "responded"],
                "finalised": ["submitted", "shared", "responded", "finalised", "case_recorded", "commissioning"],
            }.get(visit.status, [])
            when = day
            for step in steps:
                when = min(self.today, when + timedelta(days=rng.randint(1, 7)))
                users = self.provider_users_by_provider.get(visit.provider_id)
                by = (
                    visit.lead_visitor
                    if step == "submitted"
                    else rng.choice(users)
                    if step == "responded" and users
                    else rng.choice(qa_leads)
                )
                events.append(VisitEvent(visit=visit, step=step, by=by, at=at(when, 14)))
            if visit.status == "finalised":
                entries.extend(
                    CaseRecordEntry(
                        visit=visit, young_person_id=person, recorded_by=rng.choice(qa_leads), recorded_at=at(when, 15)
                    )
                    for person in getattr(visit, "met", [])
                    if rng.random() < 0.8
                )
        self.bulk(Answer, answers, batch=5_000)
        self.bulk(VisitEvent, events, batch=5_000)
        self.bulk(through, met, batch=5_000)
        self.bulk(CaseRecordEntry, entries, batch=5_000)
