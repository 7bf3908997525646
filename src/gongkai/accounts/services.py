"""Writes of the accounts app: an agency's own settings (its office head's page)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction

from gongkai.accounts.models import Agency
from gongkai.domain.applications.review import ReviewPolicy
from gongkai.domain.applications.sign_off import SignOffChain, SignOffPolicy
from gongkai.domain.contact import check_email, check_phone

# The agency's published details the settings page edits (printed in the guide, receipts, letters).
CONTACT_FIELDS = ("address", "postcode", "office_hours", "contact_person", "phone", "fax", "email")
# ... and the bodies every letter's remedies paragraph names (gongkai.applications.letters.remedies_for)
REMEDY_FIELDS = ("review_body", "competent_court")
DETAIL_FIELDS = CONTACT_FIELDS + REMEDY_FIELDS


def checked_details(details: Mapping[str, str]) -> dict[str, str]:
    """The details trimmed; a FieldError (Chinese, naming the field) for a number or e-mail that is not one."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not agency details: {sorted(unknown)}")
    out = {name: (value or "").strip() for name, value in details.items()}
    if "phone" in out:
        out["phone"] = check_phone("phone", out["phone"], "联系电话")
    if "fax" in out:
        out["fax"] = check_phone("fax", out["fax"], "传真号码")
    if "email" in out:
        out["email"] = check_email("email", out["email"])
    return out


@transaction.atomic
def agency_settings_update(
    *,
    agency: Agency,
    fee_pauses_reply_clock: bool,
    chains: dict[str, str | None],
    details: Mapping[str, str] | None = None,
    actor=None,
) -> Agency:
    """Save the procedure settings: whether the fee time stops the reply clock, per outcome who
    signs the reply (``None``: no sign-off), and the ``details`` (address, hours, contact person,
    phone, fax, e-mail, 复议机关, court; only those given are changed). The domain's policy checks the codes
    and chains; :func:`checked_details` the phone, fax and e-mail."""
    details = checked_details(details or {})
    needing = frozenset(code for code, chain in chains.items() if chain)
    kept = {code: SignOffChain(chain).value for code, chain in chains.items() if chain}
    SignOffPolicy(needing, kept)  # raises a DomainError (Chinese) for an outcome that is not a reply
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    agency.fee_pauses_reply_clock = fee_pauses_reply_clock
    agency.sign_off_outcomes = sorted(needing)
    agency.sign_off_chains = kept
    for name, value in details.items():
        setattr(agency, name, value)
    agency.save(update_fields=["fee_pauses_reply_clock", "sign_off_outcomes", "sign_off_chains", *details])
    return agency


@transaction.atomic
def agency_review_settings_update(*, agency: Agency, legal: Iterable[str], secrecy: Iterable[str]) -> Agency:
    """Save which draft replies need a 法制审核 and which a 保密审查 before sign-off, per outcome
    (domain.applications.review). The domain's policy checks the codes (a DomainError in Chinese)."""
    policy = ReviewPolicy(legal=frozenset(legal), secrecy=frozenset(secrecy))
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    agency.legal_review_outcomes = sorted(policy.legal)
    agency.secrecy_review_outcomes = sorted(policy.secrecy)
    agency.save(update_fields=["legal_review_outcomes", "secrecy_review_outcomes"])
    return agency
