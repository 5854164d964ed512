from sqlalchemy.orm import mapper


def map_table(cls, props):
    """Map ``cls`` to its table with the given properties."""
    return mapper(cls, cls.table, properties=props)
