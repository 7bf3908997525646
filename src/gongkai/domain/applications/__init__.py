"""Applications for disclosure (依申请公开): receipt, the workflow, tracking and table 三 counts.

Plain Python like the rest of the domain core: the web app keeps the cases, these modules decide
what may happen to them and how they are counted.
"""

from gongkai.domain.applications.counting import CaseForCount, table3_for_year
from gongkai.domain.applications.receipt import Channel, receipt_date
from gongkai.domain.applications.sign_off import DEFAULT_SIGN_OFF_POLICY, SignOffPolicy
from gongkai.domain.applications.tracking import (
    mask_identity_number,
    new_query_code,
    parse_tracking_number,
    query_code_matches,
    tracking_number,
)
from gongkai.domain.applications.workflow import (
    TRANSITIONS,
    Action,
    Role,
    State,
    Transition,
    available_actions,
    check_transition,
    reply_outcomes,
    submission,
)
from gongkai.domain.fields import FieldError

__all__ = [
    "Action",
    "CaseForCount",
    "Channel",
    "DEFAULT_SIGN_OFF_POLICY",
    "FieldError",
    "Role",
    "SignOffPolicy",
    "State",
    "TRANSITIONS",
    "Transition",
    "available_actions",
    "check_transition",
    "mask_identity_number",
    "new_query_code",
    "parse_tracking_number",
    "query_code_matches",
    "receipt_date",
    "reply_outcomes",
    "submission",
    "table3_for_year",
    "tracking_number",
]
