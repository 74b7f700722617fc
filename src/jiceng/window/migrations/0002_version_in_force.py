# The version in force is a flag on the version (no foreign key back from the item: the two
# models pointing at each other made a cycle the demo reset cannot order).

from django.conf import settings
from django.db import migrations, models


def mark_current(apps, schema_editor):
    Item = apps.get_model("window", "ServiceItem")
    Version = apps.get_model("window", "ServiceItemVersion")
    current = Item.objects.exclude(current=None).values_list("current_id", flat=True)
    Version.objects.filter(pk__in=list(current)).update(is_current=True)


class Migration(migrations.Migration):

    dependencies = [
        ('window', '0001_window_cases'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='serviceitemversion',
            name='is_current',
            field=models.BooleanField(db_index=True, default=False, verbose_name='in force'),
        ),
        migrations.RunPython(mark_current, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='serviceitem',
            name='current',
        ),
        migrations.AddConstraint(
            model_name='serviceitemversion',
            constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('item',), name='window_one_current_version'),
        ),
    ]
