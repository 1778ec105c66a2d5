"""The workspace's models, moved here from the ``ratings`` app with their tables.

The tables were made by ``ratings/migrations/0002_workspace.py`` and keep their names
(``db_table`` on each model, ``table_name`` on each history), so this migration changes
only Django's record of the models: on a database that has them, no table or row is
touched; on a new database, ``ratings.0002`` has just made them. The content types move
with the models, so the roles' permissions (``enter_judgements``...), the audit trail and
the admin's log keep pointing at the same rows.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = (
    "assessment",
    "assignment",
    "domainevidence",
    "historicalassessment",
    "historicalassignment",
    "historicaldomainevidence",
)


def _move_content_types(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        moving = ContentType.objects.filter(app_label=source, model=model).first()
        if moving is None:
            continue
        # A content type made for the new label in the meantime (by a post_migrate run
        # between the two migrations) holds nothing the old one does not: the old one,
        # with the permissions the roles were given, wins.
        ContentType.objects.filter(app_label=target, model=model).delete()
        moving.app_label = target
        moving.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move_content_types(apps, "ratings", "workspace")


def backwards(apps, schema_editor):
    _move_content_types(apps, "workspace", "ratings")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('ratings', '0004_workspace_models_moved_to_workspace_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalAssessment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('state', models.CharField(choices=[('not_started', 'Not started'), ('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned'), ('agreed', 'Agreed')], default='not_started', max_length=20)),
                        ('adults_serving', models.CharField(blank=True, choices=[('no', 'Serving no people well'), ('some', 'Serving some people well'), ('most', 'Serving most people well'), ('yes', 'Serving all people well')], max_length=10, verbose_name='adults: serving people well?')),
                        ('adults_prospects', models.CharField(blank=True, choices=[('poor', 'Poor'), ('uncertain', 'Uncertain'), ('promising', 'Promising'), ('excellent', 'Excellent')], max_length=10, verbose_name='adults: capacity for improvement')),
                        ('children_serving', models.CharField(blank=True, choices=[('no', 'Serving no people well'), ('some', 'Serving some people well'), ('most', 'Serving most people well'), ('yes', 'Serving all people well')], max_length=10, verbose_name='children: serving people well?')),
                        ('children_prospects', models.CharField(blank=True, choices=[('poor', 'Poor'), ('uncertain', 'Uncertain'), ('promising', 'Promising'), ('excellent', 'Excellent')], max_length=10, verbose_name='children: capacity for improvement')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True)),
                        ('moderated_at', models.DateTimeField(blank=True, null=True)),
                        ('return_comments', models.TextField(blank=True, help_text="The lead inspector's comments when returning it.")),
                        ('correction', models.BooleanField(default=False)),
                        ('correction_note', models.TextField(blank=True)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('council', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.council')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('moderated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('round', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.assessmentround')),
                        ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical assessment',
                        'verbose_name_plural': 'historical assessments',
                        'db_table': 'ratings_historicalassessment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalAssignment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('council', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.council')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('inspector', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('round', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.assessmentround')),
                    ],
                    options={
                        'verbose_name': 'historical assignment',
                        'verbose_name_plural': 'historical assignments',
                        'db_table': 'ratings_historicalassignment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalDomainEvidence',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('summary', models.TextField(blank=True, verbose_name='evidence summary')),
                        ('standards_notes', models.TextField(blank=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('council', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.council')),
                        ('domain', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.domain')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('round', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ratings.assessmentround')),
                    ],
                    options={
                        'verbose_name': 'historical domain evidence',
                        'verbose_name_plural': 'historical domain evidence',
                        'db_table': 'ratings_historicaldomainevidence',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Assessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('not_started', 'Not started'), ('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned'), ('agreed', 'Agreed')], default='not_started', max_length=20)),
                        ('adults_serving', models.CharField(blank=True, choices=[('no', 'Serving no people well'), ('some', 'Serving some people well'), ('most', 'Serving most people well'), ('yes', 'Serving all people well')], max_length=10, verbose_name='adults: serving people well?')),
                        ('adults_prospects', models.CharField(blank=True, choices=[('poor', 'Poor'), ('uncertain', 'Uncertain'), ('promising', 'Promising'), ('excellent', 'Excellent')], max_length=10, verbose_name='adults: capacity for improvement')),
                        ('children_serving', models.CharField(blank=True, choices=[('no', 'Serving no people well'), ('some', 'Serving some people well'), ('most', 'Serving most people well'), ('yes', 'Serving all people well')], max_length=10, verbose_name='children: serving people well?')),
                        ('children_prospects', models.CharField(blank=True, choices=[('poor', 'Poor'), ('uncertain', 'Uncertain'), ('promising', 'Promising'), ('excellent', 'Excellent')], max_length=10, verbose_name='children: capacity for improvement')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True)),
                        ('moderated_at', models.DateTimeField(blank=True, null=True)),
                        ('return_comments', models.TextField(blank=True, help_text="The lead inspector's comments when returning it.")),
                        ('correction', models.BooleanField(default=False)),
                        ('correction_note', models.TextField(blank=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('council', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='ratings.council')),
                        ('entered_by', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('moderated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='ratings.assessmentround')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'ratings_assessment',
                        'ordering': ['round__year', 'council__name'],
                        'permissions': [('enter_judgements', 'Can enter judgements for assigned councils'), ('moderate_assessment', 'Can return or agree assessments'), ('publish_round', 'Can open, close and schedule rounds and publish corrections')],
                        'constraints': [models.UniqueConstraint(fields=('round', 'council'), name='one_assessment_per_round'), models.CheckConstraint(condition=models.Q(('state__in', ['not_started', 'draft', 'submitted', 'returned', 'agreed'])), name='assessment_state_allowed')],
                    },
                ),
                migrations.CreateModel(
                    name='Assignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('council', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='ratings.council')),
                        ('inspector', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to=settings.AUTH_USER_MODEL)),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='ratings.assessmentround')),
                    ],
                    options={
                        'db_table': 'ratings_assignment',
                        'ordering': ['round__year', 'council__name'],
                        'constraints': [models.UniqueConstraint(fields=('round', 'council'), name='one_inspector_per_council')],
                    },
                ),
                migrations.CreateModel(
                    name='DomainEvidence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('summary', models.TextField(blank=True, verbose_name='evidence summary')),
                        ('standards_notes', models.TextField(blank=True)),
                        ('council', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='ratings.council')),
                        ('domain', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='ratings.domain')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='ratings.assessmentround')),
                    ],
                    options={
                        'verbose_name_plural': 'domain evidence',
                        'db_table': 'ratings_domainevidence',
                        'ordering': ['round__year', 'council__name', 'domain__order'],
                        'constraints': [models.UniqueConstraint(fields=('round', 'council', 'domain'), name='one_evidence_per_domain')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
