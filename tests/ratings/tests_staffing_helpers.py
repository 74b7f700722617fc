"""A window post at the centre whose A holder is the window clerk (the ranking counts by post)."""

from datetime import date

from jiceng.staffing.models import WindowPost, Worker


def post_for(people, centre):
    a = Worker.objects.create(user=people["window"], unit=centre)
    b = Worker.objects.create(user=people["window2"], unit=centre)
    return WindowPost.objects.create(unit=centre, name="宅基地窗口", holder_a=a, holder_b=b, a_since=date(2025, 1, 1))
