"""What the annual report tells the apps above it, without knowing them (the layers point down).

``annual_report_published`` is sent inside the transaction that publishes a version, with
``report`` (the AnnualReport) and ``actor`` (the user who published it); a receiver that does work
afterwards registers it with ``transaction.on_commit``. The supervisor's desk files and audits the
published report on it (gongkai.supervision.receivers).
"""

from django.dispatch import Signal

annual_report_published = Signal()
