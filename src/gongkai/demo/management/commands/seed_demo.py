from django.core.management.base import BaseCommand

from gongkai.demo.accounts import DEMO_PASSWORD, seed_demo
from gongkai.demo.annualreports import seed_annual_reports
from gongkai.demo.applications import seed_applications
from gongkai.demo.delivery import seed_deliveries
from gongkai.demo.disclosure import seed_documents
from gongkai.demo.litigation import seed_reviews
from gongkai.demo.proposals import seed_proposals
from gongkai.demo.publicity import seed_publicity
from gongkai.demo.routing import seed_routing
from gongkai.demo.supervision import seed_supervision
from gongkai.demo.workorders import seed_workorders


class Command(BaseCommand):
    help = "Load the demo agency 示范区教育局 and its users (safe to run again: nothing is duplicated)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="where the demo is served (printed in the banner)"
        )

    def handle(self, *args, **options):
        logins = seed_demo()
        self.stdout.write("正在生成示范年度的政府信息公开申请…")
        seed_applications()
        self.stdout.write("正在把几件在办申请交办承办单位…")
        seed_routing()
        self.stdout.write("正在登记几件答复的送达…")
        seed_deliveries()
        self.stdout.write("正在生成示范年度的主动公开信息…")
        seed_documents()
        self.stdout.write("正在登记示范年度的行政复议和行政诉讼…")
        seed_reviews()
        self.stdout.write("正在登记示范年度的人大代表建议和政协委员提案…")
        seed_proposals()
        self.stdout.write("正在导入示范年度的12345热线、民心网和局长信箱工单…")
        seed_workorders()
        self.stdout.write("正在登记政务新媒体月度数据、新闻发布会和回应关切…")
        seed_publicity()
        self.stdout.write("正在准备年度报告（2025年度报告录入，2026年度报告待编写）…")
        seed_annual_reports()
        self.stdout.write("正在设置所辖机关和上一年度的年度报告报送情况…")
        seed_supervision()
        host = options["url"].rstrip("/")
        lines = [
            "",
            "gongkai 演示环境已就绪 / demo ready",
            f"  打开 {host}/ 登录（密码均为 {DEMO_PASSWORD}）:",
        ]
        lines += [f"    {u:<10} {role:<10} {name}" for u, role, name in logins]
        lines += [
            f"  政府信息公开栏目: {host}/xxgk/",
            f"  公众申请页面: {host}/apply/",
            "  年报审计（命令行）: .venv/bin/gongkai audit ../shared/samples/*.txt  （加 --json 输出结构化结果）",
            "",
        ]
        self.stdout.write("\n".join(lines))
