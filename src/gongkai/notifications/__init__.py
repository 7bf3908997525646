"""Reminders by e-mail and SMS (issue 16 §7): an outbox of messages sent by a background task.

Low in the layers (just above accounts) so that every app can send through it
(``services.notify_user``, ``services.notify_address``); what a daily digest lists comes from the
apps above through a registry (``digest.register_digest_source``), as the dashboard's panels do.
"""
