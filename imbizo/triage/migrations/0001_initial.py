# The app's first migration holds nothing: each part of the app adds its
# tables in a migration of its own.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = []
