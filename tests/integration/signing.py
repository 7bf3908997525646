"""The sign-off chain of a reply as the tests walk it: office head, then leader, then issue (送达)."""

from __future__ import annotations

from datetime import date

from gongkai.applications import letters
from gongkai.applications.services import application_transition


def sign_and_issue(app, *, head, leader, clerk, on: date, via: str = "post", signed_on: date | None = None):
    """Sign a submitted draft by the office head then the leader, generate its letter, and issue it on ``on``."""
    signed_on = signed_on or on
    for user, role in ((head, "office_head"), (leader, "leader")):
        application_transition(
            application=app, action="sign_off_reply", actor=user, actor_roles={role}, fields={}, today=signed_on
        )
        app.refresh_from_db()
    if not app.letters.filter(kind__startswith="reply_").exists():
        letters.generate_letter(application=app, kind=letters.LetterKind.reply_for(app.pending_outcome), user=clerk)
    event = application_transition(
        application=app,
        action="issue_reply",
        actor=clerk,
        actor_roles={"clerk"},
        fields={"replied_on": on, "issued_via": via},
        today=on,
    )
    app.refresh_from_db()
    return event


def reply_and_issue(app, *, clerk, outcome_code: str, legal_basis: str, on: date, via: str = "post", **details):
    """A reply that needs no signature (作出答复), its letter generated, and issued on ``on``: only
    the issue makes the case 已答复 (issue 14)."""
    application_transition(
        application=app,
        action="reply",
        actor=clerk,
        actor_roles={"clerk"},
        fields={"outcome_code": outcome_code, "legal_basis": legal_basis, **details},
        today=on,
    )
    app.refresh_from_db()
    letters.generate_letter(application=app, kind=letters.LetterKind.reply_for(outcome_code), user=clerk)
    event = application_transition(
        application=app,
        action="issue_reply",
        actor=clerk,
        actor_roles={"clerk"},
        fields={"replied_on": on, "issued_via": via},
        today=on,
    )
    app.refresh_from_db()
    return event
