"""Writes of the disclosure app. Every write is one transaction; the domain checks before anything is written.

- ``column_tree_install``: copy a column tree (default: the education bureau's) into an agency.
- ``index_scheme_save``: an agency's 索引号 pattern and organisation code.
- ``document_create``: register a document (draft) with its 索引号 and the first log entry.
- ``document_update``: edit the working version: a draft in place; a published document through a
  new version (修订) that is reviewed again while the published one stays public.
- ``document_transition``: one move of the review workflow, checked by the domain table and rules,
  recorded in the append-only ``ReviewDecision`` log.
- ``document_change_validity``: 已修改 / 已废止 / 已失效 of a published 规章 or 行政规范性文件.
- ``attachment_add`` / ``attachment_remove``: files of the working version (type, size and content checked).
- ``document_register`` / ``document_edit``: what the staff form saves, all or nothing — a registration
  with its files; a content change with the files removed and added (a published document is
  revised first, with its reason, also when only its files change).
- ``annual_figures_save``: the year's figures of table 二 that do not come from the register.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import actor_label
from gongkai.disclosure import selectors
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
from gongkai.domain.disclosure.attachments import check_attachment, clean_name
from gongkai.domain.disclosure.attachments import display_name as default_display_name
from gongkai.domain.disclosure.catalogue import (
    EDUCATION_BUREAU_COLUMNS,
    ColumnSpec,
    DocumentKind,
    Registration,
    RegistrationError,
    check_channels,
    check_registration,
    check_tree,
    flatten,
)
from gongkai.domain.disclosure.index_numbers import IndexNumberError, IndexPattern
from gongkai.domain.disclosure.validity import check_validity_change, initial_validity
from gongkai.domain.disclosure.workflow import (
    EDITABLE_STATES,
    WORKFLOW,
    Action,
    Role,
    State,
    check_edit,
    check_revision_reason,
    check_transition,
    published_with_policy,
)
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.report_format import format_for_year

DRAFTER_ROLES = frozenset({Role.CLERK.value, Role.OFFICE_HEAD.value})
# Fixed at the first publication: they decide how the document is counted and linked.
FIXED_AFTER_PUBLICATION = frozenset({"kind", "needs_interpretation", "interprets"})
EDITABLE_FIELDS = frozenset(VERSIONED_FIELDS) | FIXED_AFTER_PUBLICATION

# log entries that are not workflow actions
CREATE, EDIT, ATTACH, DETACH, CHANGE_VALIDITY = "create", "edit", "attach", "detach", "change_validity"
LOG_LABELS = {CREATE: "登记", EDIT: "修改内容", ATTACH: "添加附件", DETACH: "删除附件", CHANGE_VALIDITY: "变更有效性"}


def _role_of(actor_roles: Iterable[str], allowed: Iterable[str]) -> str:
    roles = set(actor_roles)
    for r in Role:
        if r.value in roles and r.value in set(allowed):
            return r.value
    return ""


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Column):
        return value.slug
    if isinstance(value, Document):
        return value.pk
    return value


def _log(
    doc: Document,
    *,
    action: str,
    from_state: str,
    actor,
    role: str,
    comment: str = "",
    result: str = "",
    fields: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> ReviewDecision:
    last = doc.decisions.aggregate(m=Max("seq"))["m"] or 0
    return ReviewDecision.objects.create(
        document=doc,
        seq=last + 1,
        version=version or doc.current_version,
        action=action,
        from_state=from_state,
        to_state=doc.state,
        actor=actor,
        actor_label=actor_label(actor),
        role=role,
        comment=comment,
        result=result,
        fields={k: _json(v) for k, v in (fields or {}).items()},
    )


# -- configuration ---------------------------------------------------------------------------------


@transaction.atomic
def column_tree_install(*, agency: Agency, tree: Iterable[ColumnSpec] = EDUCATION_BUREAU_COLUMNS) -> int:
    """Create the columns of ``tree`` the agency lacks (matched by slug); returns how many were created.
    Existing columns are left as the agency edited them."""
    tree = tuple(tree)
    problems = check_tree(tree)
    if problems:
        raise DomainError("；".join(problems))
    created = 0
    by_slug = {c.slug: c for c in Column.objects.filter(agency=agency)}
    for order, (parent_slug, spec) in enumerate(flatten(tree), 1):
        if spec.slug in by_slug:
            continue
        if parent_slug is not None and by_slug[parent_slug].parent_id is not None:
            raise DomainError(f"栏目“{spec.name}”超过两级")
        by_slug[spec.slug] = Column.objects.create(
            agency=agency,
            parent=by_slug[parent_slug] if parent_slug else None,
            slug=spec.slug,
            name=spec.name,
            order=order * 10,
            article20_item=spec.article20_item,
            topic=spec.topic,
            kind=spec.kind.value if spec.kind else "",
            interpretations=spec.interpretations,
            description=spec.description,
        )
        created += 1
    return created


@transaction.atomic
def index_scheme_save(*, agency: Agency, organisation_code: str, pattern: str) -> IndexNumberScheme:
    """Set how the agency numbers new documents; numbers already given are kept."""
    IndexPattern(pattern).format(agency_code=organisation_code.strip(), year=2026, seq=1, column="x")
    scheme, _ = IndexNumberScheme.objects.select_for_update().get_or_create(
        agency=agency, defaults={"organisation_code": organisation_code.strip(), "pattern": pattern}
    )
    scheme.organisation_code, scheme.pattern = organisation_code.strip(), pattern
    scheme.save(update_fields=["organisation_code", "pattern"])
    return scheme


# -- registration ------------------------------------------------------------------------------------


def _check_column(agency: Agency, column: Column) -> None:
    if column.agency_id != agency.pk:
        raise RegistrationError("column", f"栏目“{column.name}”不属于{agency.name}")


def _check_interprets(agency: Agency, policy: Document, doc: Document | None = None) -> None:
    if policy.agency_id != agency.pk:
        raise RegistrationError("interprets", "所解读的政策文件属于另一机关")
    if policy.interprets_id is not None:
        raise RegistrationError("interprets", "所选文件本身是政策解读，请选择被解读的政策文件")
    if doc is not None and policy.pk == doc.pk:
        raise RegistrationError("interprets", "文件不能解读自身")
    if policy.state in (State.WITHDRAWN, State.UNPUBLISHED):
        raise RegistrationError("interprets", f"所选政策文件已“{State(policy.state).label}”")


def _registration(values: Mapping[str, Any]) -> Registration:
    return Registration(
        title=values["title"],
        kind=values["kind"],
        formed_on=values["formed_on"],
        signed_on=values.get("signed_on"),
        article20_item=values.get("article20_item"),
        topic=values.get("topic") or "",
        doc_number=values.get("doc_number") or "",
        needs_interpretation=bool(values.get("needs_interpretation")),
        interprets=values.get("interprets") is not None,
        channels=tuple(values.get("channels") or ()),
    )


def document_create(
    *,
    agency: Agency,
    actor,
    actor_roles: Iterable[str],
    title: str,
    column: Column,
    formed_on: date,
    today: date,
    kind: str = DocumentKind.OTHER.value,
    doc_number: str = "",
    issuing_office: str = "",
    signed_on: date | None = None,
    topic: str | None = None,
    article20_item: int | None = None,
    needs_interpretation: bool = False,
    interprets: Document | None = None,
    body: str = "",
    channels: Iterable[str] = ("website",),
    index_number: str | None = None,
) -> Document:
    """Register a document as a draft, with its 索引号 (generated by the agency's pattern unless given)
    and the first log entry. Defaults come from the column: 主题分类 and the 第二十条 item (item 1 for
    规章 and 行政规范性文件)."""
    roles = set(actor_roles)
    if not roles & DRAFTER_ROLES:
        raise TransitionNotAllowed("只有经办人或办公室主任可以登记文件")
    _check_column(agency, column)
    if interprets is not None:
        _check_interprets(agency, interprets)
    kind_value = str(kind)  # checked by check_registration below
    if article20_item is None:
        article20_item = 1 if kind_value in (DocumentKind.REGULATION, DocumentKind.NORMATIVE) else column.article20_item
    values = {
        "title": title.strip(),
        "kind": kind_value,
        "formed_on": formed_on,
        "signed_on": signed_on,
        "article20_item": article20_item,
        "topic": column.topic if topic is None else topic,
        "doc_number": doc_number.strip(),
        "needs_interpretation": needs_interpretation,
        "interprets": interprets,
        "channels": [c.value for c in check_channels(channels)] if channels else [],
    }
    check_registration(_registration(values), today=today)
    validity = initial_validity(kind_value)
    pattern, org_code = selectors.index_scheme_for(agency)
    given = index_number.strip() if index_number else None
    if given:
        try:
            parts = pattern.parse(given)
        except IndexNumberError as err:
            raise RegistrationError("index_number", err.message) from None
        if parts.agency_code != org_code:
            raise RegistrationError("index_number", f"索引号“{given}”的机构代码应为“{org_code}”")
    for attempt in range(5):  # two registrations may race for the same sequence number
        try:
            with transaction.atomic():
                if given:
                    year, seq, number = parts.year, parts.seq, given
                else:
                    year = formed_on.year
                    seq = selectors.next_index_seq(agency, year)
                    number = pattern.format(agency_code=org_code, year=year, seq=seq, column=column.slug)
                doc = Document(
                    agency=agency,
                    title=values["title"],
                    doc_number=values["doc_number"],
                    index_number=number,
                    index_year=year,
                    index_seq=seq,
                    issuing_office=(issuing_office or agency.name).strip(),
                    formed_on=formed_on,
                    signed_on=signed_on,
                    column=column,
                    top_column_id=column.top_id,
                    topic=values["topic"],
                    article20_item=article20_item,
                    kind=kind_value,
                    validity=validity.value if validity else "",
                    needs_interpretation=needs_interpretation,
                    interprets=interprets,
                    body=body,
                    channels=values["channels"],
                    state=State.DRAFT.value,
                    created_by=actor,
                )
                doc._change_reason = f"{actor_label(actor)}：登记"
                doc.save()
                _log(
                    doc,
                    action=CREATE,
                    from_state="",
                    actor=actor,
                    role=_role_of(roles, DRAFTER_ROLES),
                    fields={"index_number": number},
                )
            return doc
        except IntegrityError:
            if given:
                raise RegistrationError("index_number", f"索引号“{given}”已被使用") from None
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


# -- editing -----------------------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Column) or isinstance(b, Column):
        return getattr(a, "pk", a) == getattr(b, "pk", b)
    if isinstance(a, Document) or isinstance(b, Document):
        return getattr(a, "pk", a) == getattr(b, "pk", b)
    return a == b


def _content_changed(doc: Document) -> list[str]:
    """A change of content voids a confidentiality pass of the version under work."""
    if doc.confidentiality_passed_version == doc.current_version:
        doc.confidentiality_passed_version = None
        return ["confidentiality_passed_version"]
    return []


def _snapshot(doc: Document, number: int, **extra: Any) -> DocumentVersion:
    return DocumentVersion.objects.create(
        document=doc, number=number, **{n: getattr(doc, n) for n in VERSIONED_FIELDS}, **extra
    )


def _open_revision(doc: Document, *, actor, actor_roles: Iterable[str], reason: str, today: date) -> DocumentVersion:
    """修订: a new version, a copy of the published one, back at the start of the review."""
    row = check_transition(
        doc.state,
        Action.REVISE,
        actor_roles=set(actor_roles),
        fields={"reason": reason},
        facts=selectors.document_facts(doc),
        today=today,
    )
    assert doc.public_version is not None
    if not doc.versions.filter(number=doc.public_version).exists():
        # the version on the public column gets its frozen row before anything changes
        _snapshot(doc, doc.public_version, published_on=doc.revised_on or doc.published_on)
    number = (doc.versions.aggregate(m=Max("number"))["m"] or doc.public_version) + 1
    version = _snapshot(doc, number, reason=reason.strip(), created_by=actor)
    move = WORKFLOW.move(row, from_state=doc.state, actor_roles=actor_roles, fields={"reason": reason})
    doc.current_version = number
    doc.state = move.to_state
    _log(
        doc,
        action=move.action,
        from_state=move.from_state,
        actor=actor,
        role=move.role,
        comment=move.comment,
        version=number,
    )
    return version


def document_update(
    *, document: Document, actor, actor_roles: Iterable[str], changes: Mapping[str, Any], today: date, reason: str = ""
) -> Document:
    """Change the content under work.

    - a draft or returned document that was never published: the document itself (history keeps the
      old values);
    - a published document: a new version (修订, ``reason`` required) that starts the review again;
      the public keeps seeing the published version until the new one is published;
    - a revision under work (draft or returned): that version.

    A change voids a confidentiality pass of the version under work. Under review, nothing may be
    changed (the reviewer returns the document first).
    """
    roles = set(actor_roles)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        doc = Document.objects.select_for_update().select_related("agency").get(pk=document.pk)
        check_edit(doc.state, roles)
        if doc.public_version is not None and set(changes) & FIXED_AFTER_PUBLICATION:
            raise DomainError("文件公开后，文件类别和政策解读关联不能再修改")
        current = selectors.working_content(doc)
        current.update({n: getattr(doc, n) for n in FIXED_AFTER_PUBLICATION})
        changed = {k: v for k, v in changes.items() if not _same(current.get(k), v)}
        if not changed:
            return doc
        merged = {**current, **changed}
        if "column" in changed:
            _check_column(doc.agency, merged["column"])
        if changed.get("interprets") is not None:
            _check_interprets(doc.agency, merged["interprets"], doc)
        if "channels" in changed:
            merged["channels"] = changed["channels"] = [c.value for c in check_channels(changed["channels"])]
        check_registration(_registration(merged), today=today)
        names = sorted(changed)
        if doc.state == State.PUBLISHED:
            check_revision_reason(doc.state, reason)
            target: Any = _open_revision(doc, actor=actor, actor_roles=roles, reason=reason, today=today)
            update_doc = ["state", "current_version", "updated_at"]
        else:
            target = selectors.pending_revision(doc) or doc
            update_doc = ["updated_at"]
        for name, value in changed.items():
            setattr(target, name, value)
        if target is doc:
            update_doc += names
            if "column" in changed:
                doc.top_column_id = merged["column"].top_id
                update_doc.append("top_column")
            if "kind" in changed:
                validity = initial_validity(merged["kind"])
                doc.validity = validity.value if validity else ""
                update_doc.append("validity")
        else:
            target.save(update_fields=names)
        _log(
            doc,
            action=EDIT,
            from_state=doc.state,
            actor=actor,
            role=_role_of(roles, DRAFTER_ROLES),
            fields={"changed": names},
        )
        update_doc += _content_changed(doc)
        doc._change_reason = f"{actor_label(actor)}：修改{('、'.join(names))}"
        doc.save(update_fields=list(dict.fromkeys(update_doc)))
        return doc


# -- the workflow ------------------------------------------------------------------------------------


def _publish_interpretations(
    policy: Document, *, actor, roles: set[str], fields: Mapping[str, Any], today: date
) -> None:
    """同步发布: the policy's approved interpretations go public in the same transaction, on the same
    day, each checked by the workflow as its own move (a failing one refuses the whole publication)."""
    readings = {d.pk: d for d in Document.objects.select_for_update().filter(interprets=policy).order_by("pk")}
    for pk in published_with_policy({pk: d.state for pk, d in readings.items()}):
        reading = readings[pk]
        facts = dataclasses.replace(selectors.document_facts(reading), interprets_unpublished_policy=False)
        row = check_transition(
            reading.state, Action.PUBLISH, actor_roles=roles, fields=fields, facts=facts, today=today
        )
        move = WORKFLOW.move(row, from_state=reading.state, actor_roles=roles, fields=fields)
        version = reading.current_version
        changed = ["state", "updated_at", *_publish(reading, fields["published_on"])]
        reading.state = move.to_state
        _log(
            reading,
            action=move.action,
            from_state=move.from_state,
            actor=actor,
            role=move.role,
            comment=f"与所解读的政策文件《{policy.title}》同步发布",
            result=move.result,
            fields=dict(move.details),
            version=version,
        )
        reading._change_reason = f"{move.change_reason(actor_label(actor))}（与政策文件同步发布）"
        reading.save(update_fields=list(dict.fromkeys(changed)))


def _publish(doc: Document, on: date) -> list[str]:
    if doc.public_version is None:
        doc.published_on = on
        changed = ["published_on"]
    else:
        last = doc.revised_on or doc.published_on
        if last is not None and on < last:
            raise DomainError(f"公开日期{on}早于上一版本的公开日期{last}")
        pending = doc.versions.get(number=doc.current_version)
        for name in VERSIONED_FIELDS:
            setattr(doc, name, getattr(pending, name))
        doc.top_column_id = pending.column.top_id
        pending.published_on = on
        pending.save(update_fields=["published_on"])
        doc.revised_on = on
        changed = [*VERSIONED_FIELDS, "top_column", "revised_on"]
    doc.public_version = doc.current_version
    doc.is_public = True
    return changed + ["public_version", "is_public"]


def _discard(doc: Document, today: date) -> list[str]:
    number = doc.current_version
    pending = doc.versions.get(number=number)
    pending.discarded_on = today
    pending.save(update_fields=["discarded_on"])
    # files added in the dropped version never show; files it removed come back
    doc.attachments.filter(version=number).update(removed_in_version=number)
    doc.attachments.filter(removed_in_version=number).exclude(version=number).update(removed_in_version=None)
    doc.current_version = doc.public_version
    doc.confidentiality_passed_version = doc.public_version  # it passed before it was published
    return ["current_version", "confidentiality_passed_version"]


def document_transition(
    *,
    document: Document,
    action: str,
    actor,
    actor_roles: Iterable[str],
    fields: Mapping[str, Any],
    today: date,
) -> ReviewDecision:
    """Make one move of the review, or raise a DomainError (Chinese) and write nothing.

    The domain checks state, role, fields and the two publication rules (confidentiality review of
    the current version; an approved interpretation for a policy that needs one), with the facts
    read here. The decision is appended to the log with the version it concerns.
    """
    roles = set(actor_roles)
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=document.pk)
        if action == Action.REVISE:
            _open_revision(doc, actor=actor, actor_roles=roles, reason=str(fields.get("reason") or ""), today=today)
            doc._change_reason = f"{actor_label(actor)}：{Action.REVISE.label}"
            doc.save(update_fields=["state", "current_version", "updated_at"])
            return doc.decisions.order_by("-seq").first()
        row = check_transition(
            doc.state, action, actor_roles=roles, fields=fields, facts=selectors.document_facts(doc), today=today
        )
        move = WORKFLOW.move(row, from_state=doc.state, actor_roles=roles, fields=fields)
        version = doc.current_version
        changed = ["state", "updated_at"]
        if row.action is Action.CONFIDENTIALITY_PASS:
            doc.confidentiality_passed_version = doc.current_version
            changed.append("confidentiality_passed_version")
        elif row.action is Action.PUBLISH:
            changed += _publish(doc, fields["published_on"])
            _publish_interpretations(doc, actor=actor, roles=roles, fields=fields, today=today)
        elif row.action is Action.UNPUBLISH:
            doc.is_public = False
            doc.unpublished_on = fields["unpublished_on"]
            doc.unpublish_reason = str(fields["reason"]).strip()
            changed += ["is_public", "unpublished_on", "unpublish_reason"]
        elif row.action is Action.DISCARD_REVISION:
            changed += _discard(doc, today)
        doc.state = move.to_state
        decision = _log(
            doc,
            action=move.action,
            from_state=move.from_state,
            actor=actor,
            role=move.role,
            comment=move.comment,
            result=move.result,
            fields=dict(move.details),
            version=version,
        )
        doc._change_reason = move.change_reason(actor_label(actor))
        doc.save(update_fields=list(dict.fromkeys(changed)))
        return decision


@transaction.atomic
def document_change_validity(
    *,
    document: Document,
    actor,
    actor_roles: Iterable[str],
    validity: str,
    changed_on: date | None,
    changed_by: str,
    today: date,
) -> Document:
    """Mark a published 规章 or 行政规范性文件 已修改 / 已废止 / 已失效, with the date and the deciding
    document; shown on its public page and counted in table 二."""
    roles = set(actor_roles)
    if not roles & DRAFTER_ROLES:
        raise TransitionNotAllowed("只有经办人或办公室主任可以变更文件有效性")
    doc = Document.objects.select_for_update().get(pk=document.pk)
    if doc.public_version is None:
        raise DomainError("文件尚未公开，不能变更有效性")
    change = check_validity_change(
        doc.kind,
        doc.validity or None,
        validity,
        changed_on=changed_on,
        changed_by=changed_by,
        signed_on=doc.signed_on,
        previous_change_on=doc.validity_changed_on,
        today=today,
    )
    doc.validity, doc.validity_changed_on, doc.repealed_by = change.validity.value, change.changed_on, change.changed_by
    _log(
        doc,
        action=CHANGE_VALIDITY,
        from_state=doc.state,
        actor=actor,
        role=_role_of(roles, DRAFTER_ROLES),
        comment=change.changed_by,
        fields={"validity": change.validity.value, "changed_on": change.changed_on},
    )
    doc._change_reason = f"{actor_label(actor)}：有效性变更为{change.validity.label}"
    doc.save(update_fields=["validity", "validity_changed_on", "repealed_by", "updated_at"])
    return doc


# -- attachments -------------------------------------------------------------------------------------


def _check_attachable(doc: Document, roles: set[str]) -> None:
    check_edit(doc.state, roles)
    if State(doc.state) not in EDITABLE_STATES:
        raise TransitionNotAllowed("已公开的文件须先“修订”，再在新版本中增删附件")


def attachment_add(
    *, document: Document, name: str, data: bytes, actor, actor_roles: Iterable[str], display_name: str = ""
) -> DocumentAttachment:
    """Attach a file to the version under work, after checking its type (name and content) and size.
    The stored name is random (never the uploader's); the content type comes from the checked kind.
    ``display_name``: what the public page calls it; by default the upload name without its random
    part, or the document's title when the name says nothing (ok.pdf)."""
    roles = set(actor_roles)
    kind = check_attachment(name, data)
    stored: DocumentAttachment | None = None
    try:
        with transaction.atomic():
            doc = Document.objects.select_for_update().get(pk=document.pk)
            _check_attachable(doc, roles)
            original = clean_name(name)
            shown = display_name.strip()[:200] or default_display_name(
                original, doc.title, number=doc.attachments.filter(removed_in_version__isnull=True).count() + 1
            )
            att = DocumentAttachment(
                document=doc,
                original_name=original,
                display_name=shown,
                content_type=kind.content_type,
                size=len(data),
                version=doc.current_version,
                uploaded_by=actor,
            )
            att.file.save(f"{uuid.uuid4().hex}.{kind.ext}", ContentFile(data), save=False)
            stored = att
            att.save()
            changed = ["updated_at", *_content_changed(doc)]
            _log(
                doc,
                action=ATTACH,
                from_state=doc.state,
                actor=actor,
                role=_role_of(roles, DRAFTER_ROLES),
                fields={"name": att.original_name, "size": att.size},
            )
            doc.save(update_fields=changed)
        return att
    except BaseException:
        if stored is not None and stored.file.name:
            stored.file.storage.delete(stored.file.name)  # the row is rolled back: remove the file too
        raise


def attachment_remove(*, attachment: DocumentAttachment, actor, actor_roles: Iterable[str]) -> None:
    """Take a file out of the version under work. A file that was never public is deleted; one that
    was public stays with the versions it belonged to."""
    roles = set(actor_roles)
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=attachment.document_id)
        _check_attachable(doc, roles)
        att = DocumentAttachment.objects.select_for_update().get(pk=attachment.pk)
        if not att.in_version(doc.current_version):
            raise DomainError(f"附件“{att.original_name}”不在当前版本中")
        never_public = doc.public_version is None or att.version > doc.public_version
        name = att.original_name
        if never_public:
            file_name = att.file.name
            DocumentAttachment.objects.filter(pk=att.pk).delete()
            transaction.on_commit(lambda: att.file.storage.delete(file_name))
        else:
            att.removed_in_version = doc.current_version
            att.save(update_fields=["removed_in_version"])
        changed = ["updated_at", *_content_changed(doc)]
        _log(
            doc,
            action=DETACH,
            from_state=doc.state,
            actor=actor,
            role=_role_of(roles, DRAFTER_ROLES),
            fields={"name": name},
        )
        doc.save(update_fields=changed)


# -- what one form saves: the services above composed, all or nothing ------------------------------


def _delete_files(stored: list[DocumentAttachment]) -> None:
    # the rows were rolled back with the transaction; the files on disk are not
    for att in stored:
        if att.file.name:
            att.file.storage.delete(att.file.name)


def document_register(
    *,
    agency: Agency,
    actor,
    actor_roles: Iterable[str],
    today: date,
    attachments: Iterable[tuple[str, bytes] | tuple[str, bytes, str]] = (),
    **values: Any,
) -> Document:
    """Register a document (``document_create``, with ``values`` as its keywords) and attach its files
    (``attachment_add``), in one transaction: a refused file leaves no document behind."""
    roles = set(actor_roles)
    stored: list[DocumentAttachment] = []
    try:
        with transaction.atomic():
            doc = document_create(agency=agency, actor=actor, actor_roles=roles, today=today, **values)
            for name, data, *shown in attachments:  # (name, bytes) or (name, bytes, display name)
                stored.append(
                    attachment_add(
                        document=doc,
                        name=name,
                        data=data,
                        actor=actor,
                        actor_roles=roles,
                        display_name=shown[0] if shown else "",
                    )
                )
    except BaseException:
        _delete_files(stored)
        raise
    return doc


def document_edit(
    *,
    document: Document,
    actor,
    actor_roles: Iterable[str],
    changes: Mapping[str, Any],
    today: date,
    reason: str = "",
    remove: Iterable[DocumentAttachment] = (),
    add: Iterable[tuple[str, bytes] | tuple[str, bytes, str]] = (),
) -> Document:
    """Save the content and the files of the version under work in one transaction.

    Content goes through ``document_update``. A published document whose files change is revised
    (修订) first even if its text did not change, and the revision needs its reason
    (``check_revision_reason``); then files are removed and added to the version under work.
    """
    roles = set(actor_roles)
    removals, uploads = list(remove), list(add)
    files_changed = bool(removals or uploads)
    if files_changed:
        check_revision_reason(document.state, reason)
    stored: list[DocumentAttachment] = []
    try:
        with transaction.atomic():
            updated = document_update(
                document=document, actor=actor, actor_roles=roles, changes=changes, today=today, reason=reason
            )
            if files_changed and updated.state == State.PUBLISHED:
                document_transition(
                    document=updated,
                    action=Action.REVISE.value,
                    actor=actor,
                    actor_roles=roles,
                    fields={"reason": reason},
                    today=today,
                )
            for att in removals:
                attachment_remove(attachment=att, actor=actor, actor_roles=roles)
            for name, data, *shown in uploads:
                stored.append(
                    attachment_add(
                        document=updated,
                        name=name,
                        data=data,
                        actor=actor,
                        actor_roles=roles,
                        display_name=shown[0] if shown else "",
                    )
                )
    except BaseException:
        _delete_files(stored)
        raise
    updated.refresh_from_db()
    return updated


# -- table 二 figures --------------------------------------------------------------------------------

_COUNT_FIELDS = (
    "licensing_decisions",
    "penalty_decisions",
    "coercion_decisions",
    "licensing_items_last_year",
    "other_services_items_last_year",
    "other_services_decisions",
    "penalty_items_last_year",
    "coercion_items_last_year",
    "fee_items_last_year",
    "procurement_items",
)
_CHANGE_FIELDS = (
    "licensing_items_change",
    "other_services_items_change",
    "penalty_items_change",
    "coercion_items_change",
    "fee_items_change",
)
_AMOUNT_FIELDS = ("fee_amount", "procurement_amount")
_REQUIRED_2021 = ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount")


def _figure(name: str, value: Any) -> Any:
    label = AnnualFigures._meta.get_field(name).verbose_name
    if value is None or value == "":
        if name in _REQUIRED_2021:
            raise RegistrationError(name, f"请填写“{label}”（没有的填0）")
        return None
    if name in _AMOUNT_FIELDS:
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise RegistrationError(name, f"“{label}”应为数字，收到的是“{value}”") from None
        if not amount.is_finite() or amount < 0:
            raise RegistrationError(name, f"“{label}”不能为负数")
        if amount != amount.quantize(Decimal("0.0001")):
            raise RegistrationError(name, f"“{label}”最多保留四位小数")
        return amount
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise RegistrationError(name, f"“{label}”应为整数，收到的是“{value}”") from None
    if name in _COUNT_FIELDS and value < 0:
        raise RegistrationError(name, f"“{label}”不能为负数")
    return value


@transaction.atomic
def annual_figures_save(
    *, agency: Agency, year: int, actor, figures: Mapping[str, Any], actor_roles: Iterable[str] = ()
) -> AnnualFigures:
    """Record the year's 行政许可 / 行政处罚 / 行政强制 decisions and 行政事业性收费 (万元), and for the
    2019 format the item counts and 政府集中采购. Fields not given keep their value.

    A person (``actor``) must be the agency's clerk or office head; ``actor=None`` is the system
    (demo data, imports)."""
    if actor is not None and not set(actor_roles) & DRAFTER_ROLES:
        raise DomainError("只有经办人或办公室主任可以填报表二统计数据。")
    format_for_year(year)  # before 2019 there is no table 二 to fill
    known = set(_COUNT_FIELDS) | set(_CHANGE_FIELDS) | set(_AMOUNT_FIELDS)
    unknown = set(figures) - known
    if unknown:
        raise DomainError(f"未知的统计项：{'、'.join(sorted(unknown))}")
    clean = {name: _figure(name, value) for name, value in figures.items()}
    obj, _ = AnnualFigures.objects.select_for_update().get_or_create(agency=agency, year=year)
    for name, value in clean.items():
        setattr(obj, name, value)
    obj.updated_by = actor
    obj._change_reason = f"{actor_label(actor)}：填报{year}年度统计数据"
    obj.save(update_fields=[*clean, "updated_by", "updated_at"])
    return obj


# -- 依申请公开转主动公开 (第四十四条) -------------------------------------------------------------------


@transaction.atomic
def document_from_application(
    *,
    agency: Agency,
    actor,
    actor_roles: Iterable[str],
    tracking_number: str,
    title: str,
    column: Column,
    formed_on: date,
    today: date,
    body: str = "",
    doc_number: str = "",
) -> tuple[Document, bool]:
    """A draft in the register for information released on application (第四十四条), linked to the case
    by its 申请编号; it is reviewed and published like any document. Takes plain values: the
    applications app is of the same layer (gongkai.proactive calls both). One draft per case: a second
    call returns the first (``created`` False)."""
    tracking_number = tracking_number.strip()
    if not tracking_number:
        raise DomainError("缺少申请编号")
    earlier = Document.objects.filter(agency=agency, from_application=tracking_number).first()
    if earlier is not None:
        return earlier, False
    doc = document_create(
        agency=agency,
        actor=actor,
        actor_roles=actor_roles,
        title=title,
        column=column,
        formed_on=formed_on,
        today=today,
        body=body,
        doc_number=doc_number,
    )
    doc.from_application = tracking_number
    doc._change_reason = f"{actor_label(actor)}：依申请公开转主动公开（申请{tracking_number}）"
    doc.save(update_fields=["from_application", "updated_at"])
    return doc, True
