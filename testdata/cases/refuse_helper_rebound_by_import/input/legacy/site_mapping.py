from sqlalchemy.orm import mapper


def simple_mapping(model, **kwds):
    """Site policy: every property is exposed with a ``_`` prefix."""
    props = {"_" + key: value for key, value in kwds.items()}
    mapper(model, model.table, properties=props)
