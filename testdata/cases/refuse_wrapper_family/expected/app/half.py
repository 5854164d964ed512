from sqlalchemy import orm


def relationship(*args, **kwargs):
    kwargs.setdefault("lazy", "selectin")
    return orm.relationship(*args, **kwargs)
