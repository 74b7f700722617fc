from django.core.management.base import BaseCommand

from jiceng.assessments import demo as assessment_demo
from jiceng.org import demo


class Command(BaseCommand):
    help = "Load the demo region once (or rebuild it with --reset) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Remove all units, staff and accounts, then rebuild.")

    def handle(self, *args, reset=False, **options):
        if reset:
            # Campaigns hold on to units and must go first.
            assessment_demo.reset_campaigns()
            demo.reset_demo()
        if demo.demo_loaded():
            self.stdout.write("演示数据已存在 / demo region already loaded (use --reset to rebuild)")
        else:
            demo.build_demo()
            self.stdout.write(self.style.SUCCESS("演示数据已载入 / demo region loaded"))
        if not assessment_demo.demo_campaign_loaded():
            assessment_demo.build_campaign()
            self.stdout.write(self.style.SUCCESS("演示考核已载入 / demo assessment campaign loaded"))
        self.stdout.write(f"演示账号 / demo accounts (password 密码: {demo.DEMO_PASSWORD})")
        for account in demo.ACCOUNTS:
            self.stdout.write(f"  {account.username:<10} {account.role:<16} {account.full_name}")
