"""Build the packaged letter templates (one .docx per letter kind) with python-docx.

Run from the project root whenever the wording changes, and commit the .docx files it writes:

    .venv/bin/python src/gongkai/applications/letter_templates/build_templates.py

The output is byte-for-byte reproducible (fixed core properties, fixed zip timestamps), so an
unchanged wording gives an unchanged file in git. Each paragraph is written as one run, so the
docxtpl tags (``{{ … }}``, ``{%p … %}``) are never split across runs.

The variables a template may use are listed in ``gongkai.applications.letters`` (module doc). An
agency that wants its own wording edits a copy of one of these files in Word and puts it at
``MEDIA_ROOT/letter_templates/<kind>.docx``; the packaged file is then no longer used for that kind.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime(2026, 1, 1, 9, 0, 0)
ZIP_TIME = (2026, 1, 1, 9, 0, 0)
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"

# -- the wording --------------------------------------------------------------------------------
# Blocks: ("title", text), ("ref", text), ("to", text), ("p", text), ("tag", docxtpl control line),
# ("sign", text). ``p`` paragraphs get a two-character first-line indent, as in official letters.

RECEIVED = "本机关于{{ received_on }}收到您提出的政府信息公开申请（申请编号：{{ tracking_number }}），所需政府信息的描述为：“{{ description }}”。"
CONTACT = ("p", "联系人：{{ contact_person }}　　联系电话：{{ contact_phone }}")
SIGNATURE = [("sign", "{{ agency_name }}"), ("sign", "（盖章）"), ("sign", "{{ letter_date }}")]
# 第五十一条: filled in by letters.py (letters.remedies_for), which names the agency's 复议机关 and
# court from its settings, without touching any template.
REMEDIES = "{{ remedies }}"
# 文书编号 first, the case's 申请编号 under it
REF = [("ref", "{{ reference_number }}"), ("ref", "申请编号：{{ tracking_number }}")]


def _reply(extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        ("title", "政府信息公开申请答复书"),
        *REF,
        ("to", "{{ applicant_name }}："),
        ("p", RECEIVED + "经审查，现答复如下："),
        ("p", "{{ decision }}"),
        *extra,
        ("p", "法律依据：{{ basis_citation }}{{ legal_basis_note }}。"),
        ("p", REMEDIES),
        ("p", "特此答复。"),
        CONTACT,
        *SIGNATURE,
    ]


PROVIDES = [
    ("tag", "{%p if provides %}"),
    ("p", "本机关按照您要求的{{ delivery_form }}形式，通过{{ delivery_channel }}方式向您提供（见附件）。"),
    ("tag", "{%p endif %}"),
]

TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "correction_notice": [
        ("title", "政府信息公开申请补正告知书"),
        *REF,
        ("to", "{{ applicant_name }}："),
        ("p", RECEIVED),
        (
            "p",
            "经审查，您的申请内容不明确，本机关无法据此确定您所需的政府信息。根据《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知您需要补正的事项如下：",
        ),
        ("tag", "{%p for item in items %}"),
        ("p", "{{ loop.index }}．{{ item }}"),
        ("tag", "{%p endfor %}"),
        (
            "p",
            "请您于{{ correction_period }}补正。补正材料可以通过原申请渠道提交，也可以当面或者邮寄提交本机关。答复期限自本机关收到补正后的申请之日起重新计算。",
        ),
        ("p", "您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"),
        ("p", "补正过程中如需指导和释明，请与本机关联系。"),
        ("p", "特此告知。"),
        CONTACT,
        *SIGNATURE,
    ],
    "third_party_consultation": [
        ("title", "政府信息公开第三方意见征询函"),
        *REF,
        ("to", "{{ party }}："),
        (
            "p",
            "本机关于{{ received_on }}收到一件政府信息公开申请（申请编号：{{ tracking_number }}），申请公开的政府信息为：“{{ description }}”。",
        ),
        (
            "p",
            "经审查，本机关认为公开上述信息可能损害贵方的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。",
        ),
        (
            "p",
            "请贵方自收到本函之日起15个工作日内（本函于{{ delivered_on }}送达，即于{{ consultation_due }}前）以书面形式向本机关提出是否同意公开的意见；不同意公开的，请一并说明理由。",
        ),
        (
            "p",
            "贵方逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。",
        ),
        ("p", "特此函询。"),
        CONTACT,
        *SIGNATURE,
    ],
    "extension_notice": [
        ("title", "政府信息公开申请延期答复告知书"),
        *REF,
        ("to", "{{ applicant_name }}："),
        ("p", RECEIVED),
        (
            "p",
            "因{{ reason }}，本机关不能在{{ original_due }}前作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{{ working_days }}个工作日，本机关将于{{ new_due }}前向您作出答复。",
        ),
        ("p", "特此告知。"),
        CONTACT,
        *SIGNATURE,
    ],
    "fee_notice": [
        ("title", "政府信息公开信息处理费收费通知"),
        *REF,
        ("to", "{{ applicant_name }}："),
        ("p", RECEIVED),
        (
            "p",
            "您申请公开政府信息的数量、频次超出了免费提供的范围。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定对该申请收取信息处理费。现将有关事项通知如下：",
        ),
        ("p", "一、计收方式：{{ method_label }}。"),
        ("p", "二、收费标准及计算：{{ explanation }}"),
        ("p", "三、收费金额：人民币{{ amount }}元（大写：{{ amount_in_words }}）。"),
        ("p", "四、缴费期限：请您自收到本通知之日的次日起20个工作日内缴纳，即于{{ pay_due }}前缴纳。"),
        ("p", "五、缴费方式：{{ payment_method }}。信息处理费按规定缴入国库，本机关出具财政票据。"),
        ("p", "六、您逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。本机关收到费用后继续办理您的申请。"),
        ("p", "特此通知。"),
        CONTACT,
        *SIGNATURE,
    ],
    "reason_request": [
        ("title", "政府信息公开申请说明理由告知书"),
        *REF,
        ("to", "{{ applicant_name }}："),
        ("p", RECEIVED),
        (
            "p",
            "经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第三十五条的规定，请您以书面形式向本机关说明申请理由。",
        ),
        (
            "p",
            "本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复的，将确定延迟答复的合理期限并告知您。",
        ),
        ("p", "特此告知。"),
        CONTACT,
        *SIGNATURE,
    ],
    "delay_period_notice": [
        ("title", "政府信息公开申请延迟答复期限告知书"),
        *REF,
        ("to", "{{ applicant_name }}："),
        ("p", RECEIVED),
        (
            "p",
            "经审查，本机关认为您就申请数量、频次所说明的理由合理，但是无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复。根据该条例第三十五条的规定，本机关确定延迟答复的期限，将于{{ reply_until }}前向您作出答复。",
        ),
        ("p", "特此告知。"),
        CONTACT,
        *SIGNATURE,
    ],
    "agency_consultation": [
        ("title", "政府信息公开申请征求意见函"),
        *REF,
        ("to", "{{ party }}："),
        (
            "p",
            "本机关于{{ received_on }}收到一件政府信息公开申请（申请编号：{{ tracking_number }}），申请公开的政府信息为：“{{ description }}”。该政府信息由本机关与贵机关共同制作，本机关为牵头制作机关。",
        ),
        (
            "p",
            "根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关对公开上述政府信息的意见。请贵机关自收到本函之日起15个工作日内（本函于{{ delivered_on }}送达，即于{{ consultation_due }}前）提出书面意见；逾期未提出意见的，视为同意公开。",
        ),
        ("p", "特此函询。"),
        CONTACT,
        *SIGNATURE,
    ],
    "third_party_disclosure_notice": [
        ("title", "政府信息公开决定公开告知书"),
        *REF,
        ("to", "{{ party }}："),
        (
            "p",
            "本机关于{{ sent_on }}就一件政府信息公开申请（申请编号：{{ tracking_number }}）书面征求贵方意见，申请公开的政府信息为：“{{ description }}”。贵方于{{ ended_on }}答复不同意公开。",
        ),
        (
            "p",
            "经审查，本机关认为不公开上述信息可能对公共利益造成重大影响。根据《中华人民共和国政府信息公开条例》第三十二条的规定，本机关决定{% if partial %}对上述信息中能够区分处理的部分{% endif %}予以公开，现将决定公开的政府信息内容和理由告知如下：",
        ),
        ("p", "一、决定公开的政府信息内容：{{ disclosed_content }}。"),
        ("p", "二、决定公开的理由：{{ public_interest_reason }}。"),
        ("p", REMEDIES),
        ("p", "特此告知。"),
        CONTACT,
        *SIGNATURE,
    ],
    "reply_already_public": _reply([]),
    "reply_granted": _reply(PROVIDES),
    "reply_partially_granted": _reply(
        [
            (
                "p",
                "对可以公开的部分，本机关按照您要求的{{ delivery_form }}形式，通过{{ delivery_channel }}方式向您提供（见附件）；对不予公开的部分，理由如下：{{ withheld_reason }}。",
            ),
        ]
    ),
    "reply_withheld": _reply([("p", "不予公开的具体理由：{{ withheld_reason }}。")]),
    "reply_special_query": _reply([]),
    "reply_unable": _reply(
        [("p", "如您能够提供所需信息更明确的名称、文号、形成时间或者制作机关等线索，可以重新提出申请。")]
    ),
    "reply_not_this_agency": _reply(
        [
            ("tag", "{%p if responsible_known %}"),
            (
                "p",
                "根据《中华人民共和国政府信息公开条例》第三十六条（五）的规定，现告知您：负责公开该政府信息的行政机关为{{ responsible_agency }}，联系方式：{{ responsible_agency_contact }}。您可以向该机关提出申请。",
            ),
            ("tag", "{%p else %}"),
            ("p", "经查，本机关无法确定负责公开该政府信息的行政机关。"),
            ("tag", "{%p endif %}"),
        ]
    ),
    "reply_not_processed": _reply([("p", "本答复不影响您通过其他合法途径反映诉求或者获取相关信息。")]),
    "reply_other_handling": _reply([("p", "如您仍需获取相关政府信息，可以重新提出政府信息公开申请。")]),
}


# -- writing the files --------------------------------------------------------------------------


def _set_font(style, name: str, size: float, bold: bool = False) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def build(blocks: list[tuple[str, str]]) -> bytes:
    doc = Document()
    section = doc.sections[0]
    # A4 with the margins of GB/T 9704 (党政机关公文格式)
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _set_font(doc.styles["Normal"], BODY_FONT, 16)  # 三号
    doc.styles["Normal"].paragraph_format.line_spacing = Pt(28)
    for kind, text in blocks:
        para = doc.add_paragraph()
        run = para.add_run(text)
        fmt = para.paragraph_format
        if kind == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.font.size, run.font.bold, run.font.name = Pt(22), True, TITLE_FONT  # 二号
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TITLE_FONT)
            fmt.space_after = Pt(12)
        elif kind == "ref":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(12)
        elif kind == "sign":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif kind == "p":
            fmt.first_line_indent = Pt(32)  # two characters of 三号
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    core = doc.core_properties
    core.author = core.last_modified_by = "gongkai"
    core.created = core.modified = FIXED_TIME
    core.revision = 1
    core.title = blocks[0][1]
    buf = io.BytesIO()
    doc.save(buf)
    return _reproducible(buf.getvalue())


def _reproducible(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so unchanged wording gives unchanged bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main(target: Path = HERE) -> list[Path]:
    written = []
    for kind, blocks in TEMPLATES.items():
        path = target / f"{kind}.docx"
        path.write_bytes(build(blocks))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
