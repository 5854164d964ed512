from sqlalchemy.orm import mapper


def audited_mapping(cls, **kwds):
    mapper(cls, cls.table, properties=dict(kwds), always_refresh=True)
