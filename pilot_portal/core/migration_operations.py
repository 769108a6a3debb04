"""Migration operations for what exists on PostgreSQL only."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class TrigramExtensionOnPostgres(TrigramExtension):
    """``TrigramExtension``, whose going back does nothing on other databases either (Django's queries
    ``pg_extension`` whatever the database)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddIndexOnPostgres(migrations.AddIndex):
    """``AddIndex`` that creates the index on PostgreSQL and does nothing on other databases (SQLite for
    ``make run``), for the index types only PostgreSQL has (a trigram GIN index).

    The index stays out of the model state, hence out of ``Meta.indexes``: SQLite rebuilds a table to alter it,
    recreating every index of the state, and it cannot create a GIN index. So ``makemigrations`` does not know the
    index: a migration that drops and re-adds its column must add it again.
    """

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = to_state.apps.get_model(app_label, self.model_name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = from_state.apps.get_model(app_label, self.model_name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.remove_index(model, self.index)

    def describe(self):
        return f"{super().describe()} (PostgreSQL only)"

    def reduce(self, operation, app_label):
        return False
