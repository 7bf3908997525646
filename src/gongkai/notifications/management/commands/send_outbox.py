from django.core.management.base import BaseCommand

from gongkai.notifications import services, tasks


class Command(BaseCommand):
    help = "Send the reminders that are due now (e-mail, SMS), and start the outbox worker's chain unless it runs."

    def handle(self, *args, **options):
        counts = services.outbox_send_due()
        self.stdout.write(
            f"已发送{counts['sent']}条，待重试{counts['retry']}条，失败{counts['failed']}条，收回{counts['reclaimed']}条。"
        )
        if not tasks.pending_runs():
            tasks.schedule_next()
