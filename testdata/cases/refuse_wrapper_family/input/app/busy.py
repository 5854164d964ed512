from sqlalchemy import orm


def relationship(*args, **kwargs):
    kwargs.setdefault("lazy", "selectin")
    return orm.relationship(*args, **kwargs)


def backref(name, **kwargs):
    kwargs.setdefault("lazy", "selectin")
    kwargs["cascade"] = "all"
    return orm.backref(name, **kwargs)
