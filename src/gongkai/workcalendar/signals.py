"""What the calendar tells the apps above it.

``holiday_notice_changed`` is sent inside the transaction that saves, changes or removes a holiday
notice. The apps whose dates depend on the calendar (applications: every open case's deadlines)
connect to it, so the calendar app never imports them; a receiver that raises rolls the notice
back with it (``send``, not ``send_robust``).
"""

from django.dispatch import Signal

# kwargs: year (int), actor (user or None), today (date); a receiver returns the list of changes
holiday_notice_changed = Signal()
