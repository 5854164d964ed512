from sqlalchemy import orm


class VendorQuery(orm.Query):
    pass


def relationship(*args, **kwargs):
    kwargs.setdefault("query_class", VendorQuery)
    backref = kwargs.get("backref")
    if isinstance(backref, str):
        kwargs["backref"] = orm.backref(backref, query_class=VendorQuery)
    return orm.relationship(*args, **kwargs)


def backref(name, **kwargs):
    kwargs.setdefault("query_class", VendorQuery)
    return orm.backref(name, **kwargs)
