"""``field__any=[ids]``: membership in a list passed as one array parameter on PostgreSQL.

``field__in=ids`` writes one placeholder per id; with thousands of ids (a reminder sweep over every unit) building
and parsing that statement costs more than running it. ``= ANY(%s)`` sends the list as a single array. Other
databases get the plain ``IN (...)``.
"""

from django.db.models import Field, ForeignObject, Lookup


@ForeignObject.register_lookup
@Field.register_lookup
class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        placeholders = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *values]
