"""The fields an application's workflow action asks for, with Chinese labels for the form and its error messages.

One registry for every action, so the same name (``sent_on``, ``party`` …) means the same thing
and reads the same label everywhere. The spec type and its checks are the engine's
(:mod:`gongkai.domain.fields`); rules that relate fields to each other live with the action in
:mod:`.workflow`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from gongkai.domain.clocks import MAX_EXTENSION_WORKING_DAYS
from gongkai.domain.fees import FeeMethod
from gongkai.domain.fields import FieldKind, FieldSpec, field_registry
from gongkai.domain.outcomes import OUTCOMES

CONSULTATION_RESPONSES: Mapping[str, str] = MappingProxyType(
    {"agreed": "同意公开", "objected": "不同意公开", "no_reply": "逾期未答复"}
)
# 第三十九条第一款 names the three kinds of request that are not disclosure applications.
NOT_AN_APPLICATION_KINDS: Mapping[str, str] = MappingProxyType(
    {"petition": "信访", "complaint": "投诉", "report": "举报"}
)

_D, _T, _I, _L, _C = FieldKind.DATE, FieldKind.TEXT, FieldKind.INTEGER, FieldKind.TEXT_LIST, FieldKind.CHOICE


# ``resume_state`` takes its choices from workflow.State; it is added there to avoid a cycle.
FIELDS: Mapping[str, FieldSpec] = field_registry(
    FieldSpec("confirmed_on", "确认收到日期", _D),
    FieldSpec("arrived_on", "信件到达日期", _D),
    FieldSpec("received_on", "收到补正材料日期", _D),
    FieldSpec("requested_on", "发出日期", _D),
    FieldSpec("items", "需要补正的事项", _L),
    FieldSpec("period_working_days", "补正期限（工作日）", _I, minimum=1),
    FieldSpec("until", "补正截止日期", _D),
    FieldSpec("reply_until", "另行确定的答复期限", _D),
    FieldSpec("notified_on", "告知申请人日期", _D),
    FieldSpec("party", "征求意见对象", _T),
    FieldSpec("sent_on", "征求意见函发出日期", _D),
    FieldSpec("delivered_on", "征求意见函送达日期", _D),
    FieldSpec("ended_on", "收到意见或答复期满日期", _D),
    FieldSpec("response", "征求意见结果", _C, choices=CONSULTATION_RESPONSES),
    FieldSpec("reason", "延期理由", _T),
    FieldSpec("working_days", "延长工作日数", _I, minimum=1, maximum=MAX_EXTENSION_WORKING_DAYS),
    FieldSpec("approved_on", "批准日期", _D),
    FieldSpec("comment", "意见", _T),
    FieldSpec("method", "收费方式", _C, choices=MappingProxyType({m.value: m.label for m in FeeMethod})),
    FieldSpec("month_position", "本自然月累计申请序号", _I, minimum=1),
    # the count the applicant register gives (filled in by the app), and why the clerk typed another
    FieldSpec("register_count", "申请人登记的本自然月累计序号", _I, minimum=1),
    FieldSpec("month_position_reason", "累计序号与申请人登记不一致的理由", _T),
    FieldSpec("pages", "页数", _I, minimum=0),
    FieldSpec("amount", "收费金额（元）", _I, minimum=0),
    FieldSpec("fee_sent_on", "收费通知发出日期", _D),
    FieldSpec("notice_received_on", "申请人收到收费通知日期", _D),
    FieldSpec("paid_on", "缴费日期", _D),
    FieldSpec("outcome_code", "办理结果", _C, choices=MappingProxyType({o.code: o.label for o in OUTCOMES})),
    FieldSpec("legal_basis", "法律依据", _T),
    FieldSpec("replied_on", "答复日期", _D),
    FieldSpec("decided_on", "决定日期", _D),
    FieldSpec("kind", "请求类别", _C, choices=NOT_AN_APPLICATION_KINDS),
    FieldSpec("referred_to", "告知的办理渠道", _T),
    FieldSpec("withdrawn_on", "撤回日期", _D),
    # 第三十六条（五）: named in a 非本机关 reply where they can be determined (see .letters)
    FieldSpec("responsible_agency", "负责公开的行政机关", _T),
    FieldSpec("responsible_agency_contact", "该机关的联系方式", _T),
)
