from sqlalchemy import Column, ForeignKey, Table, orm, types

from shop.model import meta
from shop.model import package as _package
from shop.model import user

rating_table = Table(
    "rating",
    meta.metadata,
    Column("id", types.Integer, primary_key=True),
    Column("user_id", types.Integer, ForeignKey("user.id")),
    Column("package_id", types.Integer, ForeignKey("package.id")),
)


class Rating(object):
    pass


meta.mapper(Rating, rating_table,
       properties={
            'user': orm.relation(user.User,
                backref=orm.backref('ratings',
                cascade='all, delete, delete-orphan'
                )),
            'package': orm.relation(_package.Package,
                backref=orm.backref('ratings',
                cascade='all, delete, delete-orphan'
                )),
            },
       )
