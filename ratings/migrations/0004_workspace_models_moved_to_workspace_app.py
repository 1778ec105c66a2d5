"""The workspace's models (assignments, assessments, evidence and their history) moved to
the ``workspace`` app. Only Django's record of the models moves: their tables stay as they
are (see ``workspace/migrations/0001_initial.py``), so no row is touched."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0003_roles'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='assignment',
                    name='council',
                ),
                migrations.RemoveField(
                    model_name='assignment',
                    name='inspector',
                ),
                migrations.RemoveField(
                    model_name='assignment',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='domainevidence',
                    name='council',
                ),
                migrations.RemoveField(
                    model_name='domainevidence',
                    name='domain',
                ),
                migrations.RemoveField(
                    model_name='domainevidence',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='historicalassessment',
                    name='council',
                ),
                migrations.RemoveField(
                    model_name='historicalassessment',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalassessment',
                    name='moderated_by',
                ),
                migrations.RemoveField(
                    model_name='historicalassessment',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='historicalassessment',
                    name='submitted_by',
                ),
                migrations.RemoveField(
                    model_name='historicalassignment',
                    name='council',
                ),
                migrations.RemoveField(
                    model_name='historicalassignment',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalassignment',
                    name='inspector',
                ),
                migrations.RemoveField(
                    model_name='historicalassignment',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='historicaldomainevidence',
                    name='council',
                ),
                migrations.RemoveField(
                    model_name='historicaldomainevidence',
                    name='domain',
                ),
                migrations.RemoveField(
                    model_name='historicaldomainevidence',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaldomainevidence',
                    name='round',
                ),
                migrations.DeleteModel(
                    name='Assessment',
                ),
                migrations.DeleteModel(
                    name='Assignment',
                ),
                migrations.DeleteModel(
                    name='DomainEvidence',
                ),
                migrations.DeleteModel(
                    name='HistoricalAssessment',
                ),
                migrations.DeleteModel(
                    name='HistoricalAssignment',
                ),
                migrations.DeleteModel(
                    name='HistoricalDomainEvidence',
                ),
            ],
            database_operations=[],
        ),
    ]
