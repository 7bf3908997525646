"""Reads of the disclosure app: queues, clocks, the public column, search, and the figures of table 二.

Public reads (``public_*``, ``search_public_documents``) only ever return documents that are
``is_public``, and only the content of their public version (which is the document row; see
models). List reads load the list fields only (``LIST_FIELDS``), never the body.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import OperationalError, connections, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.expressions import RawSQL

from gongkai.accounts.models import Agency
from gongkai.disclosure import search
from gongkai.disclosure.models import (
    VERSIONED_FIELDS,
    AnnualFigures,
    Column,
    Document,
    DocumentAttachment,
    DocumentVersion,
    IndexNumberScheme,
    ReviewDecision,
)
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import Deadline, DeadlineStatus, publication_deadline
from gongkai.domain.disclosure.catalogue import DocumentKind
from gongkai.domain.disclosure.counting import (
    PublicationCounts,
    RegisterEntry,
    art20_1_for_year,
    publication_sentence,
)
from gongkai.domain.disclosure.index_numbers import DEFAULT_PATTERN, IndexPattern
from gongkai.domain.disclosure.search_text import normalise
from gongkai.domain.disclosure.workflow import (
    INTERPRETATION_READY_STATES,
    PRE_PUBLICATION_STATES,
    DocumentFacts,
    State,
    awaiting_states,
)
from gongkai.domain.errors import CalendarNotCovered, DomainError
from gongkai.domain.report_format import format_for_year
from gongkai.workcalendar.selectors import working_calendar

LIST_FIELDS = (
    "id",
    "agency_id",
    "title",
    "doc_number",
    "index_number",
    "issuing_office",
    "formed_on",
    "published_on",
    "revised_on",
    "column_id",
    "top_column_id",
    "kind",
    "validity",
    "state",
    "is_public",
)
MAX_SEARCH_TERMS = 5
MAX_TERM_LENGTH = 50
# SQLite: up to this many trigram-index matches are sorted directly; above, the newest-first index is read
SEARCH_CANDIDATES = 1000
# SQLite: words in more documents than this (1 % of 500,000) fill a page after a few thousand documents
# read newest first; collecting every trigram match and sorting them would cost 0.4–0.9 s instead
FREQUENT_MATCHES = 5000
# PostgreSQL: up to this many expected matches are collected from the trigram indexes and sorted
PG_SORT_ROWS = 2000
# PostgreSQL: how long the newest-first reading may take before the matches are collected instead
PG_SCAN_BUDGET_MS = 300


# -- configuration ---------------------------------------------------------------------------------


def index_scheme_for(agency: Agency) -> tuple[IndexPattern, str]:
    """The agency's 索引号 pattern and organisation code (default: the standard pattern and its code)."""
    scheme = IndexNumberScheme.objects.filter(agency=agency).first()
    if scheme is not None:
        return scheme.to_domain(), scheme.organisation_code
    return IndexPattern(DEFAULT_PATTERN), agency.code.upper()


def column_tree(agency: Agency) -> list[tuple[Column, list[Column]]]:
    """The agency's columns: each top-level column with its children, in order."""
    columns = list(Column.objects.filter(agency=agency).order_by("order", "id"))
    children: dict[int, list[Column]] = {}
    for c in columns:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    return [(c, children.get(c.pk, [])) for c in columns if not c.parent_id]


def column_by_slug(agency: Agency, slug: str) -> Column | None:
    return Column.objects.filter(agency=agency, slug=slug).select_related("parent").first()


# -- one document ------------------------------------------------------------------------------------


def interpretation_ready(document: Document) -> bool:
    """A linked interpretation is leader-approved or published (the domain's interpretation rule)."""
    return (
        Document.objects.filter(interprets=document)
        .filter(Q(state__in=[s.value for s in INTERPRETATION_READY_STATES]) | Q(is_public=True))
        .exists()
    )


def document_facts(document: Document) -> DocumentFacts:
    """What the workflow rules need beyond the state (for check_transition and available_actions)."""
    return DocumentFacts(
        current_version=document.current_version,
        confidentiality_passed_version=document.confidentiality_passed_version,
        needs_interpretation=document.needs_interpretation,
        interpretation_ready=interpretation_ready(document) if document.needs_interpretation else False,
        formed_on=document.formed_on,
        is_public=document.is_public,
        interprets_unpublished_policy=(
            document.interprets_id is not None
            and not document.is_public
            and not Document.objects.filter(pk=document.interprets_id, is_public=True).exists()
        ),
    )


def pending_revision(document: Document) -> DocumentVersion | None:
    """The revision under work of a published document, or None."""
    if not document.has_pending_revision:
        return None
    return document.versions.filter(number=document.current_version).first()


def working_content(document: Document) -> dict[str, Any]:
    """The content under work (the pending revision's, else the document's), by VERSIONED_FIELDS name.

    ``column`` is the Column instance."""
    source: Any = pending_revision(document) or document
    return {name: getattr(source, name) for name in VERSIONED_FIELDS}


def versions_of(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.order_by("number")


def decisions_of(document: Document) -> QuerySet[ReviewDecision]:
    return document.decisions.select_related("actor").order_by("seq")


def public_attachments(document: Document) -> list[DocumentAttachment]:
    if not document.is_public:
        return []
    return [a for a in document.attachments.order_by("id") if a.in_version(document.public_version)]


def working_attachments(document: Document) -> list[DocumentAttachment]:
    return [a for a in document.attachments.order_by("id") if a.in_version(document.current_version)]


def publication_clock(document: Document, *, today: date, calendar: WorkingCalendar | None = None) -> Deadline | None:
    """The 20-working-day publication clock (第二十六条) from the formation date; None when it does not
    apply (withdrawn) or cannot be counted yet (a holiday notice missing, a formation date after today)."""
    if document.state == State.WITHDRAWN:
        return None
    published = document.published_on if document.published_on and document.published_on <= today else None
    try:
        return publication_deadline(
            document.formed_on,
            calendar=calendar or working_calendar(),
            today=today,
            published_on=published,
            convention=document.agency.deadline_convention,
        )
    except (CalendarNotCovered, DomainError):
        return None


@dataclass(frozen=True)
class ClockedDocument:
    document: Document
    deadline: Deadline


def unpublished_clocks(
    *, agency: Agency, today: date, calendar: WorkingCalendar | None = None
) -> list[ClockedDocument]:
    """Documents not yet published with their publication clock, the most urgent first."""
    calendar = calendar or working_calendar()
    docs = (
        Document.objects.filter(
            agency=agency, public_version__isnull=True, state__in=[s.value for s in PRE_PUBLICATION_STATES]
        )
        .select_related("agency", "column")
        .only(*LIST_FIELDS, "agency__deadline_convention", "column__name", "column__parent_id")
    )
    out = []
    for doc in docs:
        clock = publication_clock(doc, today=today, calendar=calendar)
        if clock is not None:
            out.append(ClockedDocument(doc, clock))
    return sorted(out, key=lambda c: (c.deadline.due, c.document.pk))


def overdue_documents(*, agency: Agency, today: date, calendar: WorkingCalendar | None = None) -> list[ClockedDocument]:
    """Documents past the 20th working day after their formation and still not published."""
    calendar = calendar or working_calendar()
    # the 20th working day comes at least 20 calendar days after formation: older ones only
    docs = Document.objects.filter(
        agency=agency,
        public_version__isnull=True,
        state__in=[s.value for s in PRE_PUBLICATION_STATES],
        formed_on__lt=today - timedelta(days=20),
    ).only(*LIST_FIELDS)
    out = []
    for doc in docs:
        # the agency is known: a join here makes SQLite pick the unique index over disc_doc_state
        doc.agency = agency
        clock = publication_clock(doc, today=today, calendar=calendar)
        if clock is not None and clock.status is DeadlineStatus.MISSED:
            out.append(ClockedDocument(doc, clock))
    return sorted(out, key=lambda c: (c.deadline.due, c.document.pk))


# -- queues ------------------------------------------------------------------------------------------


def review_queue(*, agency: Agency, roles: Iterable[str]) -> QuerySet[Document]:
    """What someone holding ``roles`` must act on: drafts and returned documents to submit, documents
    awaiting the office / confidentiality / leader review, approved ones to publish — oldest first."""
    states = [s.value for s in awaiting_states(roles)]
    return (
        Document.objects.filter(agency=agency, state__in=states)
        .select_related("column")
        .only(
            *LIST_FIELDS,
            "needs_interpretation",
            "current_version",
            "public_version",
            "column__name",
            "column__parent_id",
        )
        .order_by("formed_on", "id")
    )


def queue_counts(*, agency: Agency, roles: Iterable[str]) -> dict[str, int]:
    """{state: number of documents} over the states of the role's queue."""
    states = [s.value for s in awaiting_states(roles)]
    rows = Document.objects.filter(agency=agency, state__in=states).values("state").annotate(n=Count("id")).order_by()
    counts = {s: 0 for s in states}
    counts.update({r["state"]: r["n"] for r in rows})
    return counts


# -- the public column ---------------------------------------------------------------------------------


def public_documents(*, agency: Agency, column: Column | None = None) -> QuerySet[Document]:
    """Published documents, newest first; a top-level column includes its children's documents."""
    if column is None:
        qs = Document.objects.filter(agency=agency, is_public=True)
    else:
        if column.agency_id != agency.pk:
            return Document.objects.none()
        # the column fixes the agency: filtering on it too would tempt the planner onto the agency's index
        qs = Document.objects.filter(is_public=True)
        qs = qs.filter(top_column=column) if column.parent_id is None else qs.filter(column=column)
    return qs.only(*LIST_FIELDS).order_by("-published_on", "-id")


def public_documents_page(
    *, agency: Agency, column: Column | None = None, page: int | str = 1, per_page: int = 20
) -> Page:
    """One page of a column (Django Paginator: the count and the page use the column's index)."""
    return Paginator(public_documents(agency=agency, column=column), per_page).get_page(page)


def public_documents_after(
    *, agency: Agency, column: Column | None = None, after: tuple[date, int] | None = None, per_page: int = 20
) -> tuple[list[Document], tuple[date, int] | None]:
    """Keyset pagination ("more" links, feeds, crawlers): the documents published before ``after``
    (publication date, id of the last one shown) and the key of the next page, or None at the end.
    Unlike page numbers, the cost does not grow with the depth."""
    qs = public_documents(agency=agency, column=column)
    if after is not None:
        day, pk = after
        qs = qs.filter(published_on__lte=day).exclude(published_on=day, id__gte=pk)
    rows = list(qs[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return rows, ((rows[-1].published_on, rows[-1].pk) if more else None)


def public_document(*, agency: Agency, pk: int) -> Document | None:
    """A published document for its public page, or None (drafts, withdrawn and taken-down ones)."""
    return (
        Document.objects.filter(agency=agency, pk=pk, is_public=True)
        .select_related("column", "column__parent", "interprets")
        .first()
    )


def public_interpretations(document: Document) -> list[Document]:
    """The published interpretations of a policy document (shown on its public page)."""
    qs = Document.objects.filter(interprets=document, is_public=True).only(*LIST_FIELDS)
    return list(qs.order_by("published_on", "id"))


def public_policy_of(interpretation: Document) -> Document | None:
    """The published policy document an interpretation explains (shown on the interpretation's page)."""
    if interpretation.interprets_id is None:
        return None
    return Document.objects.filter(pk=interpretation.interprets_id, is_public=True).only(*LIST_FIELDS).first()


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]
    documents: list[Document]
    page: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search_terms(query: str) -> tuple[str, ...]:
    """The words of a query in the search text's normal form (〔〕【】[]（） → (), full width → half
    width: ``domain.disclosure.search_text``), split on spaces, at most 5, each at most 50 characters."""
    words = [w[:MAX_TERM_LENGTH] for w in normalise(query).split() if w.strip()]
    return tuple(dict.fromkeys(words))[:MAX_SEARCH_TERMS]


def _contains(term: str) -> Q:
    # title, 文号, 索引号 and body, normalised like the term (Document.search_text)
    return Q(search_text__icontains=term)


def _sqlite_indexed_matches(terms: list[str], using: str, limit: int) -> list[int]:
    """Up to ``limit`` ids of documents (public or not) containing every word, from the FTS5 trigram table."""
    match = " AND ".join(search.fts_phrase(t) for t in terms)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s LIMIT %s", [match, limit]
        )
        return [r[0] for r in cursor.fetchall()]


def _estimated_rows(qs: QuerySet) -> int | None:
    """PostgreSQL's estimate of how many rows ``qs`` returns (from its statistics, without running it)."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def search_public_documents(
    *, agency: Agency, query: str, page: int = 1, per_page: int = 20, column: Column | None = None
) -> SearchResults:
    """Published documents whose title, 文号 or body contain every word of ``query``, newest first.

    Substring matching (``icontains``) works for Chinese without a word segmenter, on SQLite and
    PostgreSQL alike; words are ANDed. How the database finds them:

    - a frequent word: the newest-first partial index is read until a page is full (stops early);
    - words of three characters or more on SQLite: the FTS5 trigram table (:mod:`.search`) gives
      the matching ids; up to ``SEARCH_CANDIDATES`` of them are sorted directly, more are checked
      against the newest-first index (index entries only, no document read), and beyond
      ``FREQUENT_MATCHES`` the words are frequent: the newest-first index is read with ``LIKE``;
    - on PostgreSQL: when its statistics expect at most ``PG_SORT_ROWS`` documents to contain the
      words of three characters or more, the pg_trgm GIN indexes (migration 0002) collect them and
      they are sorted; the newest-first index is not offered then (``NULLS LAST`` ordering, the
      same order since public documents always have a publication date), because a rare word's
      matches may all lie far back in time; more expected matches: the newest-first index;
    - words of one or two characters cannot use a trigram index: they are checked document by
      document in newest-first order (fast when frequent, a full scan when rare).

    Pages are counted by asking for one row more than shown (no COUNT over the matches).
    """
    terms = search_terms(query)
    page = max(1, int(page))
    if not terms:
        return SearchResults(query, terms, [], page, per_page, False)
    qs = public_documents(agency=agency, column=column)
    using = qs.db
    long_terms = [t for t in terms if len(t) >= search.MIN_TRIGRAM_TERM]
    scan_terms = list(terms)
    if long_terms and search.trigram_index_available(using):
        scan_terms = [t for t in terms if t not in long_terms]
        candidates = _sqlite_indexed_matches(long_terms, using, FREQUENT_MATCHES + 1)
        if len(candidates) <= SEARCH_CANDIDATES:
            qs = qs.filter(id__in=candidates)
        elif len(candidates) > FREQUENT_MATCHES:
            scan_terms = list(terms)
        else:
            match = " AND ".join(search.fts_phrase(t) for t in long_terms)
            qs = qs.filter(
                id__in=RawSQL(f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s", [match])
            )
    start = (page - 1) * per_page
    if long_terms and connections[using].vendor == "postgresql":
        rows = _postgresql_search(qs, long_terms, terms, start, per_page + 1)
    else:
        for term in scan_terms:
            qs = qs.filter(_contains(term))
        rows = list(qs[start : start + per_page + 1])
    return SearchResults(query, terms, rows[:per_page], page, per_page, len(rows) > per_page)


def _postgresql_search(qs: QuerySet, long_terms: list[str], terms: tuple[str, ...], start: int, limit: int) -> list:
    """Few expected matches of the long words: collect them by the trigram indexes and sort them.
    Many: read the newest-first index for at most ``PG_SCAN_BUDGET_MS``, then collect and sort (a
    frequent word whose matches all lie far back in time, e.g. a year)."""
    indexed = qs
    for term in long_terms:
        indexed = indexed.filter(_contains(term))
    matching = qs
    for term in terms:
        matching = matching.filter(_contains(term))
    collect = matching.order_by(F("published_on").desc(nulls_last=True), "-id")  # not the index's order
    expected = _estimated_rows(indexed.order_by())
    if expected is not None and expected <= PG_SORT_ROWS:
        return list(collect[start : start + limit])
    connection = connections[qs.db]
    try:
        with transaction.atomic(using=qs.db), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            previous = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(PG_SCAN_BUDGET_MS)])
            rows = list(matching[start : start + limit])
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
            return rows
    except OperationalError as err:
        if getattr(err.__cause__, "sqlstate", None) != "57014":  # query_canceled: the budget ran out
            raise
    return list(collect[start : start + limit])


# -- table 二 and the year's publications ------------------------------------------------------------


def register_entries(
    *, agency: Agency, kinds: Iterable[str] | None = None, year: int | None = None
) -> list[RegisterEntry]:
    """The published documents as the domain counts them (optionally only some kinds, or first
    published in ``year``)."""
    qs = Document.objects.filter(agency=agency, published_on__isnull=False)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    if year is not None:
        qs = qs.filter(published_on__gte=date(year, 1, 1), published_on__lte=date(year, 12, 31))
    rows = qs.order_by().values_list(
        "kind",
        "published_on",
        "signed_on",
        "validity",
        "validity_changed_on",
        "unpublished_on",
        "top_column__slug",
        "channels",
    )
    return [
        RegisterEntry(
            kind=k,
            published_on=p,
            signed_on=s,
            validity=v or None,
            validity_changed_on=vc,
            unpublished_on=u,
            column=col or "",
            channels=tuple(ch or ()),
        )
        for k, p, s, v, vc, u, col, ch in rows
    ]


def table2_figures(*, agency: Agency, year: int) -> dict[str, dict[str, dict[str, Any]]]:
    """Table 二 for ``year`` in that year's format, shaped as gongkai.domain.consistency expects
    (``{sub_table: {row: {column: value}}}``): 第二十条第（一）项 from the register, the other items
    from the year's AnnualFigures (None where not entered)."""
    fmt = format_for_year(year)
    entries = register_entries(agency=agency, kinds=(DocumentKind.REGULATION, DocumentKind.NORMATIVE))
    tables: dict[str, dict[str, dict[str, Any]]] = {"art20_1": art20_1_for_year(entries, year)}
    f = AnnualFigures.objects.filter(agency=agency, year=year).first()

    def v(name: str) -> Any:
        return getattr(f, name) if f is not None else None

    if fmt.version == "2021":
        tables["art20_5"] = {"administrative_licensing": {"decisions": v("licensing_decisions")}}
        tables["art20_6"] = {
            "administrative_penalty": {"decisions": v("penalty_decisions")},
            "administrative_coercion": {"decisions": v("coercion_decisions")},
        }
        tables["art20_8"] = {"administrative_fees": {"fee_amount": _amount(v("fee_amount"))}}
        return tables
    tables["art20_5"] = {
        "administrative_licensing": {
            "items_last_year": v("licensing_items_last_year"),
            "change_this_year": v("licensing_items_change"),
            "decisions": v("licensing_decisions"),
        },
        "other_external_services": {
            "items_last_year": v("other_services_items_last_year"),
            "change_this_year": v("other_services_items_change"),
            "decisions": v("other_services_decisions"),
        },
    }
    tables["art20_6"] = {
        "administrative_penalty": {
            "items_last_year": v("penalty_items_last_year"),
            "change_this_year": v("penalty_items_change"),
            "decisions": v("penalty_decisions"),
        },
        "administrative_coercion": {
            "items_last_year": v("coercion_items_last_year"),
            "change_this_year": v("coercion_items_change"),
            "decisions": v("coercion_decisions"),
        },
    }
    tables["art20_8"] = {
        "administrative_fees": {"items_last_year": v("fee_items_last_year"), "change_this_year": v("fee_items_change")}
    }
    tables["art20_9"] = {
        "government_centralized_procurement": {
            "procurement_items": v("procurement_items"),
            "procurement_amount": _amount(v("procurement_amount")),
        }
    }
    return tables


def _amount(value: Any) -> Decimal | None:
    """An amount without the column's padding (314.5800 → 314.58, 0.0000 → 0), as a report prints it."""
    if value is None:
        return None
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def publication_counts(*, agency: Agency, year: int) -> PublicationCounts:
    """Documents first published in ``year``, per top-level column (slug) and per channel: the counts of
    the domain's ``publications_for_year`` (the tests compare them), grouped in the database by column
    and list of channels (a few dozen groups), so a year of a large register is not loaded row by row."""
    groups = (
        Document.objects.filter(agency=agency, published_on__gte=date(year, 1, 1), published_on__lte=date(year, 12, 31))
        .order_by()
        .values_list("top_column__slug", "channels")
        .annotate(n=Count("id"))
    )
    total = 0
    by_column: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    for column, channels, n in groups:
        total += n
        by_column[column or ""] += n
        for channel in dict.fromkeys(channels or ()):
            by_channel[channel] += n
    return PublicationCounts(year, total, dict(by_column), dict(by_channel))


def publication_summary(*, agency: Agency, year: int) -> str:
    """The sentence of 总体情况: "本年度主动公开政府信息200条，其中公告公示43条……"."""
    names = dict(Column.objects.filter(agency=agency, parent__isnull=True).values_list("slug", "name"))
    return publication_sentence(publication_counts(agency=agency, year=year), names)


def next_index_seq(agency: Agency, year: int) -> int:
    current = Document.objects.filter(agency=agency, index_year=year).aggregate(m=Max("index_seq"))["m"]
    return (current or 0) + 1


# -- 依申请公开转主动公开 (第四十四条) -------------------------------------------------------------------


def documents_from_applications(agency: Agency, year: int | None = None) -> QuerySet[Document]:
    """The register's documents made from information released on application (第四十四条), newest
    first; with ``year``, those registered in that year (the figure the annual report's prose gives:
    no table row counts them, annual-report-format.md §3, §4)."""
    qs = Document.objects.filter(agency=agency).exclude(from_application="")
    if year is not None:
        qs = qs.filter(created_at__year=year)
    return qs.order_by("-created_at", "-pk")


def document_for_application(agency: Agency, tracking_number: str) -> Document | None:
    return Document.objects.filter(agency=agency, from_application=tracking_number).first()
