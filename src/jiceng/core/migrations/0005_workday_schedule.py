import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_attachment'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkdaySchedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='year')),
                ('source', models.CharField(max_length=300, verbose_name='source notice')),
                ('holidays', models.JSONField(default=list, verbose_name='holidays')),
                ('workdays', models.JSONField(default=list, verbose_name='swapped working days')),
                ('loaded_by', models.CharField(max_length=150, verbose_name='loaded by')),
                ('loaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='loaded at')),
            ],
            options={
                'verbose_name': 'working-day schedule',
                'verbose_name_plural': 'working-day schedules',
                'ordering': ['year'],
            },
        ),
    ]
