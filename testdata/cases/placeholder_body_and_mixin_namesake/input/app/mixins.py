"""Shared column helpers; not mapped."""


class Address:
    """Columns every address table has."""

    def one_line(self):
        return ", ".join(filter(None, [self.street, self.city]))
