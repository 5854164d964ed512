from sqlalchemy import Column, ForeignKey, Table, orm, types
from sqlalchemy.orm import class_mapper

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
                back_populates='ratings'),
            'package': orm.relation(_package.Package,
                back_populates='ratings'),
            },
       )
class_mapper(user.User, configure=False).add_property(
    "ratings",
    orm.relationship(
        Rating, back_populates="user", cascade='all, delete, delete-orphan'
    ),
)
class_mapper(_package.Package, configure=False).add_property(
    "ratings",
    orm.relationship(
        Rating, back_populates="package", cascade='all, delete, delete-orphan'
    ),
)
