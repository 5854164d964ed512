"""The project's relationship helpers: every relationship loads with selectin
and queries with AppQuery unless told otherwise."""
from sqlalchemy.orm import Query
from sqlalchemy.orm import backref as sa_backref
from sqlalchemy.orm import relationship as sa_relationship


class AppQuery(Query):
    pass


def relationship(*args, **kwargs):
    """A relationship with the project's defaults."""
    kwargs.setdefault("query_class", AppQuery)
    kwargs.setdefault("lazy", "selectin")
    return sa_relationship(*args, **kwargs)


def backref(name, **kwargs):
    kwargs.setdefault("query_class", AppQuery)
    kwargs.setdefault("lazy", "selectin")
    return sa_backref(name, **kwargs)
