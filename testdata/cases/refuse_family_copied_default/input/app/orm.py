from sqlalchemy.orm import relationship as sa_relationship, backref as sa_backref


def relationship(*args, **kwargs):
    kwargs.setdefault("viewonly", True)
    return sa_relationship(*args, **kwargs)


def backref(*args, **kwargs):
    kwargs.setdefault("viewonly", True)
    return sa_backref(*args, **kwargs)
