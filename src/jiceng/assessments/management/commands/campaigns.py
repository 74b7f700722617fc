"""`jiceng campaigns list` and `jiceng campaigns draw-sample ID`."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from jiceng.assessments import sampling
from jiceng.assessments.models import AuditMode, Campaign, Status


class Command(BaseCommand):
    help = "Assessment campaigns: list them, or re-draw a campaign's audit sample from its recorded seed."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every campaign with its scheme, audit mode and progress")
        draw = sub.add_parser("draw-sample", help="re-draw the audit sample (or cross-check) from the recorded seed")
        draw.add_argument("campaign_id", type=int)
        export = sub.add_parser("export", help="write the score sheet (.xlsx)")
        export.add_argument("campaign_id", type=int)
        export.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args, action, **options):
        if action == "list":
            self._list()
        elif action == "export":
            self._export(options["campaign_id"], options["out"])
        else:
            self._draw(options["campaign_id"])

    def _export(self, pk: int, out: str):
        # The score sheet itself is built (and put on the record) by outputs.scoresheet.
        from jiceng.assessments.outputs.scoresheet import export_to_path

        campaign = Campaign.objects.filter(pk=pk).first()
        if campaign is None:
            raise CommandError(f"no campaign with id {pk} (see `jiceng campaigns list`)")
        if not out.lower().endswith(".xlsx"):
            raise CommandError("--out must name an .xlsx file")
        rows = export_to_path(campaign, out)
        self.stdout.write(self.style.SUCCESS(f"{out}: {rows} units 个单位"))

    def _list(self):
        campaigns = Campaign.objects.annotate(
            n=Count("submissions"),
            published=Count("submissions", filter=Q(submissions__status=Status.PUBLISHED)),
        ).order_by("pk")
        if not campaigns:
            self.stdout.write("没有考核 / no campaigns")
            return
        for c in campaigns:
            self.stdout.write(
                f"{c.pk:>4}  {c.name}  {c.scheme_id} v{c.scheme_version}  {c.period_start}..{c.period_end}  "
                f"{c.audit_mode}  {c.published}/{c.n} published"
            )

    def _draw(self, pk: int):
        campaign = Campaign.objects.filter(pk=pk).first()
        if campaign is None:
            raise CommandError(f"no campaign with id {pk} (see `jiceng campaigns list`)")
        subs = list(campaign.submissions.select_related("unit", "reviewer", "auditor").order_by("unit__code"))
        codes = [s.unit.code for s in subs]
        self.stdout.write(f"campaign {campaign.pk}: {campaign.name}")
        self.stdout.write(f"seed 种子: {campaign.seed}")
        self.stdout.write(f"audit mode 审核方式: {campaign.audit_mode}; participants 参评单位: {len(codes)}")
        if campaign.audit_mode == AuditMode.SAMPLE:
            drawn = sampling.draw_sample(codes, campaign.sample_ratio, campaign.seed)
            recorded = sorted(s.unit.code for s in subs if s.needs_audit)
            self.stdout.write(f"ratio 比例: {campaign.sample_ratio} -> {len(drawn)} units")
            names = {s.unit.code: s.unit.name for s in subs}
            for code in drawn:
                self.stdout.write(f"  {code}  {names[code]}")
            ok = drawn == recorded
        elif campaign.audit_mode == AuditMode.CROSS:
            counties = sorted({s.reviewer.code for s in subs})
            drawn = sampling.cross_check(counties, campaign.seed)
            for county, auditor in drawn.items():
                self.stdout.write(f"  {county} audited by 由 {auditor} 审核")
            ok = drawn == campaign.cross_check and all(s.auditor.code == drawn[s.reviewer.code] for s in subs)
        else:
            self.stdout.write("every unit is audited 全部审核")
            ok = all(s.needs_audit for s in subs)
        if ok:
            self.stdout.write(self.style.SUCCESS("matches the recorded draw 与记录一致"))
        else:
            raise CommandError("the re-draw does NOT match the recorded draw 与记录不一致")
