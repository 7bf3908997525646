"""The review of a draft reply before it is signed off: 法制审核 (legality review) and 保密审查
(confidentiality review), required per outcome by the agency (:class:`ReviewPolicy`).

Neither review is in the 条例 as a step of the procedure: agencies set them in their own rules
(法制审核 follows the practice of reviewing a decision that may be challenged under 第五十一条;
保密审查 follows 第十七条, which asks agencies to review information for secrets before release).
So they are agency settings, like sign-off (:mod:`.sign_off`).

The reviews are internal and pause nothing: 第三十三条第三款 leaves out of the reply period only
the time of consulting a third party or another agency ("行政机关征求第三方和其他机关意见所需时间
不计算在前款规定的期限内"); a review by the agency's own staff is not such a consultation, so the
reply clock runs on while a draft waits for its reviewer, as it does while it waits for a signature.

The order is fixed [I]: 法制审核 first (it may change the outcome or its reasons), then 保密审查 of
what is to be released, then sign-off where the sign-off policy asks for it, else the reply is
ready to issue. A reviewer returns the draft with a reason (it goes back to where it was drafted)
or lets it pass; a reviewer never signs.

Default [I]: 法制审核 for 部分公开 and every refusal (不予公开, 无法提供, 不予处理: the decisions an
applicant is most likely to challenge); 保密审查 for nothing (agencies that want it name the
outcomes, typically 予以公开 and 部分公开, which release information).
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.domain.applications.sign_off import SIGNABLE_OUTCOMES, SignOffPolicy
from gongkai.domain.applications.states import State
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import OUTCOMES, OutcomeFamily, outcome

# The reviews in the order a draft goes through them.
REVIEW_ORDER: tuple[State, ...] = (State.AWAITING_LEGAL_REVIEW, State.AWAITING_SECRECY_REVIEW)

_REFUSALS = frozenset(
    {OutcomeFamily.PARTIALLY_GRANTED, OutcomeFamily.WITHHELD, OutcomeFamily.UNABLE, OutcomeFamily.NOT_PROCESSED}
)


def _codes(codes: frozenset[str], what: str) -> frozenset[str]:
    codes = frozenset(codes)
    for code in sorted(codes):
        outcome(code)  # unknown codes raise with a Chinese message
    stray = sorted(codes - SIGNABLE_OUTCOMES)
    if stray:
        labels = "、".join(f"“{outcome(c).label}”" for c in stray)
        raise DomainError(f"{labels}不以答复书作出，不能设为需要{what}")
    return codes


@dataclass(frozen=True)
class ReviewPolicy:
    """The outcomes whose draft reply needs a 法制审核 and those that need a 保密审查."""

    legal: frozenset[str] = frozenset()
    secrecy: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "legal", _codes(self.legal, "法制审核"))
        object.__setattr__(self, "secrecy", _codes(self.secrecy, "保密审查"))

    def reviews(self, outcome_code: str) -> tuple[State, ...]:
        """The review states a draft with this outcome passes through, in order (empty: none)."""
        wanted = {State.AWAITING_LEGAL_REVIEW: self.legal, State.AWAITING_SECRECY_REVIEW: self.secrecy}
        return tuple(s for s in REVIEW_ORDER if outcome_code in wanted[s])

    def needs_review(self, outcome_code: str) -> bool:
        return bool(self.reviews(outcome_code))

    @classmethod
    def nothing(cls) -> ReviewPolicy:
        return cls()


DEFAULT_REVIEW_POLICY = ReviewPolicy(
    legal=frozenset(o.code for o in OUTCOMES if o.family in _REFUSALS and o.code in SIGNABLE_OUTCOMES)
)
NO_REVIEW = ReviewPolicy.nothing()


def first_review(outcome_code: str, review: ReviewPolicy) -> State | None:
    """The review a draft goes to when it is submitted (None: it needs none)."""
    reviews = review.reviews(outcome_code)
    return reviews[0] if reviews else None


def after_review(state: State, outcome_code: str, review: ReviewPolicy, sign_off: SignOffPolicy) -> State:
    """Where a draft goes when the review in ``state`` passes: the next review the outcome needs, then
    sign-off where the agency asks for it, else the reply is ready to issue."""
    reviews = review.reviews(outcome_code)
    later = [s for s in REVIEW_ORDER[REVIEW_ORDER.index(state) + 1 :] if s in reviews] if state in REVIEW_ORDER else []
    if later:
        return later[0]
    return State.AWAITING_SIGN_OFF if sign_off.needs_sign_off(outcome_code) else State.REPLY_READY
