"""Writes of the accounts app: an agency's own settings (its office head's page)."""

from __future__ import annotations

from django.db import transaction

from gongkai.accounts.models import Agency
from gongkai.domain.applications.sign_off import SignOffChain, SignOffPolicy


@transaction.atomic
def agency_settings_update(
    *, agency: Agency, fee_pauses_reply_clock: bool, chains: dict[str, str | None], actor=None
) -> Agency:
    """Save the procedure settings: whether the fee time stops the reply clock, and per outcome who
    signs the reply (``None``: no sign-off). The domain's policy checks the codes and chains."""
    needing = frozenset(code for code, chain in chains.items() if chain)
    kept = {code: SignOffChain(chain).value for code, chain in chains.items() if chain}
    SignOffPolicy(needing, kept)  # raises a DomainError (Chinese) for an outcome that is not a reply
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    agency.fee_pauses_reply_clock = fee_pauses_reply_clock
    agency.sign_off_outcomes = sorted(needing)
    agency.sign_off_chains = kept
    agency.save(update_fields=["fee_pauses_reply_clock", "sign_off_outcomes", "sign_off_chains"])
    return agency
