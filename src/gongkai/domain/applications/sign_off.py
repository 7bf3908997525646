"""Which outcomes a reply may carry from where, and which replies must be signed off before they go.

Sign-off (审签) is not in the 条例; agencies set it in their own rules, so it is a per-agency
:class:`SignOffPolicy`. It governs the written reply (答复书) only:

- answering on the spot (第三十三条第一款) is never held for sign-off: it is limited to
  :data:`ON_THE_SPOT_OUTCOMES`, the answers that point the applicant somewhere and release nothing;
- a 信访/投诉/举报 request (第三十九条第一款) and the endings by lapse or withdrawal are not replies
  and cannot be put under the policy.

Who signs is the agency's choice too, per outcome (:class:`SignOffChain`): the office head then a
leader (both must sign, in that order), or only one of them. Signing does not send the reply: the
signed letter is then issued (送达, with its date and channel), and only that makes the case 已答复.

Default [I]: every reply outcome needs sign-off except ``already_public``, by the office head then a
leader. Refusals and partial
disclosures can be challenged (第五十一条), and a disclosure cannot be taken back once made, which
is why 第十七条 asks for a review before release; telling the applicant where an already public
document is releases nothing new. Agencies with a heavy load of plain grants can configure less.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import OUTCOME_CODES, outcome
from gongkai.domain.roles import Role


class SignOffChain(StrEnum):
    """Who signs a reply, in order."""

    HEAD_THEN_LEADER = "head_then_leader"
    OFFICE_HEAD = "office_head"
    LEADER = "leader"

    @property
    def label(self) -> str:
        return _CHAIN_LABELS[self]

    @property
    def signers(self) -> tuple[Role, ...]:
        return _CHAIN_SIGNERS[self]


_CHAIN_LABELS = {
    SignOffChain.HEAD_THEN_LEADER: "办公室主任审核后局领导签发",
    SignOffChain.OFFICE_HEAD: "办公室主任签发",
    SignOffChain.LEADER: "局领导签发",
}
_CHAIN_SIGNERS = {
    SignOffChain.HEAD_THEN_LEADER: (Role.OFFICE_HEAD, Role.LEADER),
    SignOffChain.OFFICE_HEAD: (Role.OFFICE_HEAD,),
    SignOffChain.LEADER: (Role.LEADER,),
}
DEFAULT_CHAIN = SignOffChain.HEAD_THEN_LEADER

# Outcomes that have their own action or ending and never come out of a reply letter's form.
_NOT_A_REPLY_CHOICE = frozenset(
    {"petition_complaint", "excessive_unreasonable", "abandoned_no_correction", "abandoned_fee_unpaid", "withdrawn"}
)
# A decision after handling (from 办理中 / 已延期 / 已另行确定期限).
DECISION_OUTCOMES: frozenset[str] = frozenset(OUTCOME_CODES) - _NOT_A_REPLY_CHOICE
# §3.2 shortcuts straight from 已收到: 第三十九条第二款 and 第三十六条（六）.
RECEIVED_SHORTCUT_OUTCOMES: frozenset[str] = frozenset({"publication", "duplicate"})
# After 第三十五条 reasons judged unreasonable the only reply is 不予处理.
REASON_REQUESTED_OUTCOMES: frozenset[str] = frozenset({"excessive_unreasonable"})
# [I] What can be answered across the desk: pointers that release no new information and need no
# search whose thoroughness could be disputed (so not does_not_exist).
ON_THE_SPOT_OUTCOMES: frozenset[str] = frozenset(
    {"already_public", "not_this_agency", "special_query_procedure", "publication"}
)
# Everything a reply letter can carry, i.e. what a policy may put under sign-off.
SIGNABLE_OUTCOMES: frozenset[str] = DECISION_OUTCOMES | REASON_REQUESTED_OUTCOMES


@dataclass(frozen=True)
class SignOffPolicy:
    """The outcomes whose reply must be signed off before it is sent, and by whom (``chains``,
    per outcome; an outcome not named there takes :data:`DEFAULT_CHAIN`)."""

    outcomes_needing_sign_off: frozenset[str]
    chains: Mapping[str, SignOffChain] = field(default_factory=dict)

    def __post_init__(self) -> None:
        chains = {}
        for code, chain in dict(self.chains).items():
            try:
                chains[code] = SignOffChain(chain)
            except ValueError:
                raise DomainError(f"未知的签发方式“{chain}”") from None
        object.__setattr__(self, "chains", MappingProxyType(chains))
        codes = frozenset(self.outcomes_needing_sign_off)
        for code in sorted(codes):
            outcome(code)  # unknown codes raise with a Chinese message
        stray = sorted(codes - SIGNABLE_OUTCOMES)
        if stray:
            labels = "、".join(f"“{outcome(c).label}”" for c in stray)
            raise DomainError(f"{labels}不以答复书作出，不能设为需要签发")
        object.__setattr__(self, "outcomes_needing_sign_off", codes)

    def needs_sign_off(self, outcome_code: str) -> bool:
        return outcome_code in self.outcomes_needing_sign_off

    def chain(self, outcome_code: str) -> SignOffChain:
        return self.chains.get(outcome_code, DEFAULT_CHAIN)

    def signers(self, outcome_code: str) -> tuple[Role, ...]:
        """Who signs a reply with this outcome, in order (empty when it needs no sign-off)."""
        return self.chain(outcome_code).signers if self.needs_sign_off(outcome_code) else ()

    @classmethod
    def everything(cls) -> SignOffPolicy:
        return cls(SIGNABLE_OUTCOMES)

    @classmethod
    def nothing(cls) -> SignOffPolicy:
        return cls(frozenset())


DEFAULT_SIGN_OFF_POLICY = SignOffPolicy(SIGNABLE_OUTCOMES - {"already_public"})
