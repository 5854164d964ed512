import functools

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import backref, mapper, relation

from . import domain as model
from .util import audited_mapping

metadata = MetaData()


def table(name, *fks):
    return Table(name, metadata, Column("id", Integer, primary_key=True), *fks)


model.User.table = table("user")
model.Address.table = table("address", Column("user_id", ForeignKey("user.id")))
model.Order.table = table("order", Column("user_id", ForeignKey("user.id")))
model.Item.table = table("item", Column("order_id", ForeignKey("order.id")))
model.Note.table = table("note", Column("user_id", ForeignKey("user.id")))
model.Tag.table = table("tag", Column("note_id", ForeignKey("note.id")))
model.Label.table = table("label", Column("note_id", ForeignKey("note.id")))
model.Flag.table = table("flag", Column("tag_id", ForeignKey("tag.id")))


def simple_mapping(model, **kwds):
    mapper(model, model.table, properties=kwds)


def maybe_map(cls, **kwds):
    if cls.table is not None:
        mapper(cls, cls.table, properties=kwds)


def noted(cls, **kwds):
    kwds["tags"] = relation(model.Tag)
    mapper(cls, cls.table, properties=kwds)


@functools.lru_cache(maxsize=None)
def cached_mapping(cls, **kwds):
    mapper(cls, cls.table, properties=kwds)


def rebound(cls, **kwds):
    mapper(cls, cls.table, properties=kwds)


rebound = simple_mapping

mapper(model.User, model.User.table)
simple_mapping(model.Address, user=relation(model.User, backref="addresses"))
noted(model.Note, user=relation(model.User, backref="notes"))
rebound(model.Order, user=relation(model.User, backref="orders"))
audited_mapping(model.Item, order=relation(model.Order, backref="items"))
cached_mapping(model.Label, note=relation(model.Note, backref="labels"))
maybe_map(model.Tag)
mapper(model.Flag, model.Flag.table, properties={"tag": relation(model.Tag, backref="flags")})
