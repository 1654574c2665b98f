"""The meeting brief as one self-contained A4 document (HTML; PDF through `render.pdf`).

A cover, then one section per part of the meeting (each may be left out), then one page per product. Page
numbers and the meeting's name repeat in the page margins (CSS paged media), Thai wraps between words
(break hints at ICU boundaries), charts are inline SVG. Every label comes from the message catalogue.
"""

from __future__ import annotations

from typing import Any

from kbo_cli.domain.brief import SECTIONS, Brief
from kbo_cli.domain.candidates import breakdown
from kbo_cli.domain.columns import level, standard_mark
from kbo_cli.domain.committee import rules_note
from kbo_cli.domain.meetings import meeting_end
from kbo_cli.domain.overview import stars_text
from kbo_cli.i18n import _, current_language
from kbo_cli.reference.agencies import agency_name, agency_short
from kbo_cli.reference.catalog import category_name
from kbo_cli.render import charts
from kbo_cli.render.html import environment, printed_on
from kbo_cli.render.values import decimal
from kbo_cli.thai.dates import format_date


def _dates(brief: Brief) -> str:
    m = brief.meeting
    if m is None:
        return printed_on(brief.today)
    start = format_date(m.starts_on, "th") if current_language() == "th" else m.starts_on.isoformat()
    if m.ends_on is None:
        return start
    end = format_date(m.ends_on, "th") if current_language() == "th" else m.ends_on.isoformat()
    return f"{start} – {end}"


def labels() -> dict[str, str]:
    """Every heading and label of the brief, in the user's language."""
    return {
        "brief": _("Meeting brief"),
        "summary": _("KBO network meeting summary"),
        "network": _("KBO network"),
        "province": _("Province"),
        "meeting": _("Meeting"),
        "date": _("Date"),
        "place": _("Place"),
        "prepared": _("Prepared by"),
        "printed": _("Printed on"),
        "page": _("Page"),
        "of": _("of"),
        "contents": _("Contents"),
        "attendance": _("Attendance"),
        "agencies_present": _("Agencies"),
        "groups_present": _("Producer groups"),
        "people_present": _("People"),
        "minutes": _("Minutes"),
        "nobody": _("No attendance recorded."),
        "districts": _("Districts at a glance"),
        "district": _("District"),
        "groups": _("Groups"),
        "products": _("Products"),
        "progress_word": _("Progress"),
        "gaps": _("Gaps"),
        "open_actions": _("Open actions"),
        "overdue": _("Overdue"),
        "stars": _("OPC stars"),
        "total": _("Total"),
        "progress": _("Progress per producer group"),
        "group": _("Group"),
        "then": _("Progress then"),
        "now": _("Progress now"),
        "change": _("Change"),
        "newly": _("Newly certified"),
        "closed": _("Gaps closed"),
        "new_gaps": _("New gaps"),
        "done": _("Actions done"),
        "course": _("Over the meetings"),
        "province_course": _("The province's progress over the meetings"),
        "since": _("Change since the previous meeting ({title}, {day})"),
        "no_previous": _("There is no earlier meeting to compare with: the figures are those of today."),
        "figures": _("Figures"),
        "figures_later": _("as they stood when this was printed, after the meeting"),
        "candidates": _("Candidates for the provincial pick"),
        "rank": _("Rank"),
        "product": _("Product"),
        "eligible": _("Eligible"),
        "score": _("Score"),
        "breakdown": _("Where the score comes from"),
        "yes": _("yes"),
        "no": _("no"),
        "pick": _("The pick of round {year}"),
        "selected": _("selected"),
        "runner_up": _("runner-up"),
        "reason": _("Reason"),
        "decided": _("Decided by"),
        "undecided": _("Not yet decided: the network has not recorded its pick for this round."),
        "ineligible": _("Picked although not eligible, because"),
        "committee": _("The committee's scores"),
        "judges": _("Judges"),
        "mean": _("Mean"),
        "spread": _("Spread"),
        "result": _("Result"),
        "agencies": _("Each agency's actions"),
        "agency": _("Agency"),
        "open": _("Open"),
        "done_count": _("Done"),
        "next_due": _("Earliest due"),
        "action": _("Action"),
        "due": _("Due"),
        "no_open": _("No open action."),
        "product_pages": _("The products"),
        "lacking": _("Still lacking"),
        "nothing_lacking": _("Nothing: every standard that applies is certified."),
        "checklist": _("Checklist"),
        "standard": _("Standard"),
        "level": _("Level"),
        "status": _("Status"),
        "certificate": _("Certificate no."),
        "expires": _("Expires"),
        "note": _("Note"),
        "findings": _("Strengths and weaknesses"),
        "strength": _("strength"),
        "weakness": _("weakness"),
        "resolved": _("resolved"),
        "plan": _("Development plan"),
        "latest_visit": _("Latest visit"),
        "no_visit": _("Not visited yet."),
        "opc": _("OPC scores"),
        "round": _("Round"),
        "category": _("Category"),
        "certified": _("Certified"),
        "definitions": _(
            "Progress = certified / applicable, where not_applicable entries leave the denominator. "
            "Gaps = applicable entries that are not certified; a certificate past its expiry date is a gap "
            "(shown as expired)."
        ),
    }


def brief_page(brief: Brief) -> str:
    """The brief as one HTML document."""
    title = brief.meeting.title if brief.meeting else _("KBO network meeting summary")
    return (
        environment()
        .get_template("brief.html.j2")
        .render(
            lang=current_language(),
            b=brief,
            title=title,
            when=_dates(brief),
            printed=printed_on(brief.today),
            L=labels(),
            # a brief printed again after its meeting holds today's figures: the cover says so
            later=brief.meeting is not None and meeting_end(brief.meeting) < brief.today,
            sections=[k for k in SECTIONS if k in brief.sections],
            section_names={k: _(v) for k, v in SECTIONS.items()},
            breakdown=breakdown,
            stars_of=stars_text,
            since_title=_since_title(brief),
            committee_note=rules_note(brief.committee_rules) if brief.committee_rules else "",
            province_chart=charts.course(brief.course.get("", [])),
            spark=lambda code: charts.spark(brief.course.get(code, [])),
            date=format_date,
            pct=_pct,
            num=decimal,
            category=category_name,
            mark=standard_mark,
            level=level,
            agency=agency_name,
            short=agency_short,
            label=lambda term: term.label,
            stars=lambda n: "★" * n + "☆" * (5 - n),
        )
    )


def _since_title(brief: Brief) -> str:
    if brief.previous is None:
        return labels()["no_previous"]
    return _(
        "Change since the previous meeting ({title}, {day})",
        title=brief.previous.title,
        day=format_date(brief.previous.ends_on or brief.previous.starts_on),
    )


def _pct(value: Any) -> str:
    return "–" if value is None else f"{value:.1f}%"
