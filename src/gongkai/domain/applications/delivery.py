"""获取信息的形式 × 获取信息的途径: the combinations an application may ask for.

The 条例 lets the applicant choose the form (第二十九条第二款（三）: 申请公开的政府信息的形式要求，包括获取
信息的方式、途径) and the agency provide it that way where it can (第四十条). Not every pair makes
sense: paper cannot come by e-mail, an electronic document is not handed over as paper, and
当场查阅、抄录 happens at the office. A reply letter quotes the pair ("按照您要求的纸质形式，通过邮寄
方式"), so a nonsensical pair would print a nonsensical sentence; the form offers only these.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

FORM_LABELS: Mapping[str, str] = MappingProxyType(
    {"paper": "纸质", "electronic": "电子文档", "inspect": "当场查阅、抄录"}
)
CHANNEL_LABELS: Mapping[str, str] = MappingProxyType(
    {"post": "邮寄", "email": "电子邮件", "pickup": "当面领取", "online": "网上获取"}
)

# form → the channels that can carry it, in the order the form lists them
DELIVERY_PAIRS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "paper": ("post", "pickup"),
        "electronic": ("email", "online"),
        "inspect": ("pickup",),
    }
)


def delivery_problem(form: str, channel: str) -> str | None:
    """None when ``channel`` can carry ``form``, else the Chinese message naming the channels that can."""
    channels = DELIVERY_PAIRS.get(form)
    if channels is None or channel not in CHANNEL_LABELS:
        return None  # an unknown value is the choice field's to refuse
    if channel in channels:
        return None
    options = "、".join(f"“{CHANNEL_LABELS[c]}”" for c in channels)
    return f"选择“{FORM_LABELS[form]}”形式时，获取途径只能是{options}，不能是“{CHANNEL_LABELS[channel]}”"
