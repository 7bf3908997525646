"""The papers a case produces for others to read: the 送达回证 (Word), the evidence list (证据目录:
a zip of the documents with a PDF index) and the archive package (归档: the 卷内目录 and the case as
PDF, then the originals in order).

Order and names are the domain's (:mod:`gongkai.domain.applications.archiving`). PDFs are made with
WeasyPrint, the library the receipt and the annual report already use, offline (every URL fetch is
refused), in the system's Noto CJK fonts.

Why PDF and not PDF/A: WeasyPrint can *write* a PDF/A variant, but nothing in the lock can *check*
one (no veraPDF), and the originals the package must keep — Word letters, scanned proofs, the
applicant's attachments — cannot be converted to PDF/A by any locked library (there is no office
suite to render a .docx). So the package is a plain PDF of the index and the case's text, with the
originals beside it, each with its SHA-256 in the index, which is what an archive can verify.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape

from django.conf import settings
from django.utils import timezone

from gongkai.applications import letters, receipts, selectors
from gongkai.applications.letters import BLANK, LetterKind, cn_date
from gongkai.applications.models import Application, DeliveryRecord, IntakeFile, Letter
from gongkai.applications.selectors_delivery import letter_date
from gongkai.domain.applications.archiving import Section, check_total_size, numbered_name
from gongkai.domain.applications.assignment import State as AssignmentState
from gongkai.domain.applications.serving import METHOD_LABELS, Method
from gongkai.domain.outcomes import outcome
from gongkai.workcalendar.selectors import working_calendar

# What each letter proves in a review or a lawsuit (the article it performs).
PROVES = {
    LetterKind.CORRECTION_NOTICE: "本机关在法定期限内一次性告知申请人补正事项和补正期限（第三十条）",
    LetterKind.REASON_REQUEST: "本机关要求申请人说明理由（第三十五条）",
    LetterKind.DELAY_PERIOD_NOTICE: "本机关确定并告知了答复期限（第三十五条）",
    LetterKind.THIRD_PARTY_CONSULTATION: "本机关书面征求了第三方意见（第三十二条）",
    LetterKind.AGENCY_CONSULTATION: "本机关征求了其他机关意见（第三十四条）",
    LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE: "本机关将决定公开的内容和理由书面告知第三方（第三十二条）",
    LetterKind.EXTENSION_NOTICE: "延期答复经负责人同意并告知申请人（第三十三条第二款）",
    LetterKind.FEE_NOTICE: "收费依据、标准、金额和缴费方式已告知申请人（国办函〔2020〕109号）",
}
PROOF_SOURCES = {
    "return_receipt": "受送达人签收",
    "tracking": "邮政企业",
    "email_receipt": "电子邮件系统",
    "platform_record": "网上申请平台",
    "other": "本机关",
}


def max_package_bytes() -> int:
    return int(getattr(settings, "GONGKAI_EVIDENCE_MAX_BYTES", 200 * 1024 * 1024))


@dataclass
class Item:
    """One entry of the index, with its file (``read`` gives the bytes; None: a note without a file)."""

    section: Section
    title: str
    on: date | None
    source: str
    proves: str
    reference: str = ""
    original: str = ""  # the file's own name, for its extension
    size: int = 0
    read: Callable[[], bytes] | None = None
    note: str = ""
    number: int = 0
    file_name: str = ""
    sha256: str = ""
    extra: dict = field(default_factory=dict)


def _read_field(f) -> Callable[[], bytes]:
    def read() -> bytes:
        with f.open("rb") as fh:
            return fh.read()

    return read


def _size(f) -> int:
    try:
        return f.size
    except OSError:
        return 0


def sent_version(letter: Letter):
    """The letter as sent: its signed upload when there is one, else the generated document."""
    return letter.signed if letter.signed else letter.generated


def _letters_sent(app: Application) -> list[Letter]:
    """The latest version of every letter the case called for, in log order."""
    out = []
    for need in letters.letter_kinds_for(app):
        if need.letters:
            out.append(need.letters[-1])
    return out


def _letter_proves(letter: Letter) -> str:
    kind = LetterKind(letter.kind)
    if kind.is_reply:
        code = letter.application.outcome_code or letter.application.pending_outcome
        basis = outcome(code).basis if code else ""
        return f"本机关作出的答复“{outcome(code).label if code else ''}”及其理由和依据" + (
            f"（{basis}）" if basis else ""
        )
    return PROVES.get(kind, "本机关发出的文书")


def _intake_items(app: Application) -> list[Item]:
    """The papers of the intake: a forwarded application's originals (转办单, 工单, the letter as it
    reached this office: they prove the day 第三十一条 counts from) and an agent's 授权委托书."""
    intake = getattr(app, "intake", None)  # none for a case registered before intakes were recorded
    out = []
    for f in app.intake_files.order_by("kind", "pk"):
        original = f.kind == IntakeFile.Kind.ORIGINAL
        on = (intake.reached_on if original and intake is not None else None) or timezone.localtime(
            f.uploaded_at
        ).date()
        out.append(
            Item(
                Section.APPLICATION,
                f"{f.get_kind_display()}：{f.original_name}",
                on,
                "转办机关" if original else "申请人",
                "转来的申请材料及其到达本机关的日期（第三十一条）" if original else "委托代理人的代理权限",
                reference=intake.origin_reference if original and intake is not None else "",
                original=f.original_name,
                size=f.size,
                read=_read_field(f.file),
            )
        )
    return out


def case_items(app: Application, *, today: date) -> list[Item]:
    """The case's documents in the package order (archiving.SECTION_ORDER), numbered from 1."""
    items: list[Item] = [
        Item(
            Section.APPLICATION,
            "政府信息公开申请（登记内容）",
            timezone.localtime(app.submitted_at).date(),
            "申请人",
            "申请人提出申请的内容、形式要求和提交时间（第二十九条）",
            original="application.pdf",
            read=lambda: application_pdf(app),
        )
    ]
    for att in app.attachments.order_by("pk"):
        items.append(
            Item(
                Section.APPLICATION,
                f"申请附件：{att.original_name}",
                timezone.localtime(att.uploaded_at).date(),
                "申请人",
                "申请人随申请提交的材料",
                original=att.original_name,
                size=att.size,
                read=_read_field(att.file),
            )
        )
    items += _intake_items(app)
    if app.received_on:
        items.append(
            Item(
                Section.RECEIPT,
                "政府信息公开申请回执",
                app.received_on,
                "本机关",
                "本机关收到申请的日期和答复期限（第三十一条、第三十三条）",
                original="receipt.pdf",
                read=lambda: receipts.receipt_pdf(
                    receipts.receipt_for(app, query_code=None, calendar=working_calendar(), today=today)
                ),
            )
        )
    sent = _letters_sent(app)
    for letter in sent:
        f = sent_version(letter)
        items.append(
            Item(
                Section.LETTER,
                letter.title + ("（签章版）" if letter.signed else "（生成稿，未上传签章版）"),
                letter_date(letter),
                "本机关",
                _letter_proves(letter),
                reference=letter.reference_number,
                original=f.name,
                size=_size(f),
                read=_read_field(f),
                note="" if letter.signed else "未上传签章版本",
            )
        )
    records = DeliveryRecord.objects.filter(letter__in=sent).select_related("letter").order_by("sent_on", "pk")
    for r in records:
        what = f"{r.letter.title}于{cn_date(r.served_on) if r.served_on else '（送达日期未登记）'}以{r.get_method_display()}送达{r.recipient}"
        proofs = list(r.proofs.order_by("pk"))
        for p in proofs:
            items.append(
                Item(
                    Section.DELIVERY,
                    f"{r.letter.title}送达凭证：{p.get_kind_display()}",
                    r.served_on or r.sent_on,
                    PROOF_SOURCES.get(p.kind, "本机关"),
                    what,
                    reference=r.tracking_number,
                    original=p.original_name,
                    size=p.size,
                    read=_read_field(p.file),
                )
            )
        if not proofs:
            items.append(
                Item(
                    Section.DELIVERY,
                    f"{r.letter.title}送达记录（{r.get_method_display()}）",
                    r.served_on or r.sent_on,
                    "本机关",
                    what,
                    reference=r.tracking_number,
                    note="缺少送达凭证",
                )
            )
    if (app.outcome_code or "") in ("disclosed", "partially_disclosed"):
        for a in app.assignments.filter(state=AssignmentState.ANSWERED.value).order_by("pk"):
            for f in a.files.order_by("pk"):
                items.append(
                    Item(
                        Section.RELEASED,
                        f"公开的政府信息：{f.original_name}",
                        app.concluded_on,
                        a.unit.name,
                        "本机关向申请人提供的政府信息（第四十条）",
                        original=f.original_name,
                        size=f.size,
                        read=_read_field(f.file),
                    )
                )
    items.append(
        Item(
            Section.LOG,
            "办理记录",
            app.concluded_on or today,
            "本机关",
            "申请的登记、办理、答复、送达各环节及其时间（第四十五条）",
            original="log.pdf",
            read=lambda: case_log_pdf(app),
        )
    )
    for n, item in enumerate(items, 1):
        item.number = n
        if item.read is not None:
            item.file_name = numbered_name(n, item.title, item.original)
    return items


# -- PDF ------------------------------------------------------------------------------------------------

PRINT_CSS = """
@page { size: A4; margin: 20mm 18mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
@page wide { size: A4 landscape; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 11pt; line-height: 1.5; }
h1 { font-size: 18pt; text-align: center; font-weight: bold; margin: 0 0 0.5em; }
h2 { font-size: 13pt; margin: 1.2em 0 0.4em; }
p.meta { text-align: center; margin: 0 0 1em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; font-size: 9.5pt; }
th { background: #eee; }
.wide { page: wide; }
.doc { page-break-before: always; }
.doc p { text-indent: 2em; margin: 0 0 0.3em; }
"""


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"case PDFs fetch nothing (asked for {url[:200]})")


def html_pdf(body: str, title: str) -> bytes:
    from weasyprint import CSS, HTML  # heavy import, only when a PDF is asked for

    html = (
        f'<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body>{body}</body></html>"
    )
    document = HTML(string=html, base_url=".", url_fetcher=_refuse_fetch)
    return document.write_pdf(stylesheets=[CSS(string=PRINT_CSS, url_fetcher=_refuse_fetch)])


def _table(head: list[str], rows: list[list[str]], css: str = "") -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{css}"><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>'


def _application_html(app: Application) -> str:
    rows = [[k, v] for k, v in selectors.applicant_block(app, {"clerk"})]
    rows += [[k, v] for k, v in selectors.request_block(app)]
    rows.append(["所需政府信息的名称、文号或描述", app.description])
    return (
        f"<h1>政府信息公开申请登记表</h1><p class='meta'>{escape(app.agency.name)} · 申请编号 {escape(app.tracking_number)}</p>"
        + _table(["项目", "内容"], rows)
    )


def application_pdf(app: Application) -> bytes:
    return html_pdf(_application_html(app), f"{app.tracking_number} 申请登记表")


def _log_html(app: Application) -> str:
    rows = []
    for e in selectors.event_rows(selectors.case_log(app)):
        state = f"{e.from_label} → {e.to_label}" if e.from_label and e.from_label != e.to_label else e.to_label
        details = "；".join(f"{k}：{v}" for k, v in e.details)
        rows.append(
            [
                str(e.seq),
                timezone.localtime(e.recorded_at).strftime("%Y-%m-%d %H:%M"),
                e.actor_label,
                e.action_label,
                state,
                details,
            ]
        )
    return (
        f"<h1>办理记录</h1><p class='meta'>{escape(app.agency.name)} · 申请编号 {escape(app.tracking_number)}</p>"
        + _table(["序号", "记录时间", "操作人", "操作", "状态", "内容"], rows)
    )


def case_log_pdf(app: Application) -> bytes:
    return html_pdf(_log_html(app), f"{app.tracking_number} 办理记录")


def _index_rows(items: list[Item]) -> list[list[str]]:
    return [
        [
            str(i.number),
            i.title,
            i.reference,
            cn_date(i.on) if i.on else "",
            i.source,
            i.proves,
            i.file_name or "（无文件）",
            i.note,
        ]
        for i in items
    ]


def evidence_index_pdf(app: Application, items: list[Item], *, today: date) -> bytes:
    body = (
        f"<div class='wide'><h1>证据目录</h1><p class='meta'>{escape(app.agency.name)} · 申请编号 {escape(app.tracking_number)}"
        f" · 申请人 {escape(app.applicant_name)} · 制作日期 {cn_date(today)}</p>"
        + _table(["序号", "证据名称", "文号或邮件号码", "日期", "来源", "证明内容", "文件", "备注"], _index_rows(items))
        + "</div>"
    )
    return html_pdf(body, f"{app.tracking_number} 证据目录")


def _letter_text(letter: Letter) -> list[str]:
    f = sent_version(letter)
    with f.open("rb") as fh:
        data = fh.read()
    if not data.startswith(b"PK"):
        return ["（签章版为PDF扫描件，见卷内原件）"]
    return list(letters._docx_paragraphs(data))


def archive_pdf(app: Application, items: list[Item], *, today: date, retain_until: date | None) -> bytes:
    """The 卷内目录 and, after it, the case's text in the package order."""
    index = _table(
        ["序号", "文号", "责任者", "题名", "日期", "文件", "备注"],
        [
            [
                str(i.number),
                i.reference,
                i.source,
                i.title,
                cn_date(i.on) if i.on else "",
                i.file_name or "（无文件）",
                i.note,
            ]
            for i in items
        ],
    )
    keep = f"保管至{cn_date(retain_until)}" if retain_until else "永久保管"
    parts = [
        f"<h1>卷内目录</h1><p class='meta'>{escape(app.agency.name)} · 申请编号 {escape(app.tracking_number)} · "
        f"申请人 {escape(app.applicant_name)} · 办结 {cn_date(app.concluded_on)} · 归档 {cn_date(today)} · {keep}</p>",
        index,
        f"<div class='doc'>{_application_html(app)}</div>",
    ]
    for letter in _letters_sent(app):
        paras = "".join(f"<p>{escape(p)}</p>" for p in _letter_text(letter))
        ref = f"（{escape(letter.reference_number)}）" if letter.reference_number else ""
        parts.append(f"<div class='doc'><h2>{escape(letter.title)}{ref}</h2>{paras}</div>")
    records = DeliveryRecord.objects.filter(application=app).select_related("letter").order_by("sent_on", "pk")
    if records:
        parts.append(
            "<div class='doc'><h2>送达记录</h2>"
            + _table(
                ["文书", "送达方式", "受送达人", "邮件号码", "发出日期", "送达日期", "签收人", "凭证"],
                [
                    [
                        r.letter.title,
                        r.get_method_display(),
                        r.recipient,
                        r.tracking_number,
                        cn_date(r.sent_on),
                        cn_date(r.served_on) if r.served_on else "未登记",
                        r.signed_by,
                        "、".join(p.get_kind_display() for p in r.proofs.all()) or "缺少送达凭证",
                    ]
                    for r in records
                ],
            )
            + "</div>"
        )
    parts.append(f"<div class='doc'>{_log_html(app)}</div>")
    return html_pdf("".join(parts), f"{app.tracking_number} 案卷")


# -- zips --------------------------------------------------------------------------------------------


def _zip(first: list[tuple[str, bytes]], items: list[Item]) -> bytes:
    check_total_size([i.size for i in items], limit=max_package_bytes())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in first:
            zf.writestr(name, data)
        for item in items:
            if item.read is None:
                continue
            data = item.read()
            item.sha256 = hashlib.sha256(data).hexdigest()
            zf.writestr(item.file_name, data)
    return buf.getvalue()


def _checksums(items: list[Item]) -> bytes:
    return "".join(f"{i.sha256}  {i.file_name}\n" for i in items if i.sha256).encode()


def evidence_zip(app: Application, *, today: date) -> bytes:
    """The evidence list for a review or a court: ``00-证据目录.pdf`` and the numbered documents."""
    items = case_items(app, today=today)
    check_total_size([i.size for i in items], limit=max_package_bytes())
    index = evidence_index_pdf(app, items, today=today)
    data = _zip([("00-证据目录.pdf", index)], items)
    return data


def archive_zip(app: Application, *, today: date, retain_until: date | None) -> tuple[bytes, int]:
    """The archive package and its number of index entries: ``00-卷内目录及案卷.pdf``, the numbered
    originals, and ``SHA256SUMS.txt`` over them."""
    items = case_items(app, today=today)
    check_total_size([i.size for i in items], limit=max_package_bytes())
    pdf = archive_pdf(app, items, today=today, retain_until=retain_until)
    data = _zip([("00-卷内目录及案卷.pdf", pdf)], items)
    # the checksums are known once every file was read: add them in a second pass
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("SHA256SUMS.txt", _checksums(items))
    return buf.getvalue(), len(items)


# -- 送达回证 ----------------------------------------------------------------------------------------


def return_receipt_docx(record: DeliveryRecord) -> bytes:
    """The 送达回证 of one delivery, to print, take along and have signed: the case number, the
    document's name and number, the addressee, the method, blanks for the signatures and dates."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def run(paragraph, text: str, size: float = 14, bold: bool = False, font: str = "仿宋_GB2312") -> None:
        r = paragraph.add_run(text)
        r.font.name, r.font.size, r.bold = font, Pt(size), bold
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    app, letter = record.application, record.letter
    method = Method(record.method)
    doc = Document()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(p, app.agency.name, 16)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(p, "送达回证", 22, bold=True, font="黑体")
    rows = [
        ("案件编号", app.tracking_number),
        (
            "送达文书名称及文号",
            f"{letter.title}" + (f"（{letter.reference_number}）" if letter.reference_number else ""),
        ),
        ("受送达人", record.recipient),
        ("送达地址", record.address or BLANK),
        (
            "送达方式",
            METHOD_LABELS[method] + (f"（邮件号码：{record.tracking_number}）" if record.tracking_number else ""),
        ),
        ("发出日期", cn_date(record.sent_on)),
        ("送达人（签名）", ""),
        ("受送达人（签名或盖章）", "\n\n　　　　　　　　　　　年　　月　　日"),
        ("代收人（签名）及代收理由", "\n\n　　　　　　　　　　　年　　月　　日"),
        ("备注", "受送达人拒绝签收的，送达人应在此注明拒收事由和日期，并由见证人签名。"),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for (label, value), cells in zip(rows, table.rows, strict=True):
        run(cells.cells[0].paragraphs[0], label, 12, bold=True)
        run(cells.cells[1].paragraphs[0], value, 12)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run(p, f"\n{app.agency.name}（盖章）\n年　　月　　日", 14)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
