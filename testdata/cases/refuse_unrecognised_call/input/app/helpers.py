from sqlalchemy.orm import backref, relationship


def rel(target, **kwargs):
    kwargs.setdefault("lazy", "select")
    return relationship(target, **kwargs)


def eager_backref(name):
    return backref(name, lazy="joined")
