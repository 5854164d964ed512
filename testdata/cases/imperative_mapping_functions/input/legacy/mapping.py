from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import mapper, relation

from . import domain as model

metadata = MetaData()


def table(name, *columns):
    return Table(name, metadata, Column("id", Integer, primary_key=True), *columns)


model.User.table = table("galaxy_user")
model.History.table = table("history", Column("user_id", ForeignKey("galaxy_user.id")))
model.Tag.table = table("tag", Column("name", String(255)))
model.HistoryTagAssociation.table = table(
    "history_tag_association",
    Column("history_id", ForeignKey("history.id")),
    Column("tag_id", ForeignKey("tag.id")),
    Column("user_id", ForeignKey("galaxy_user.id")),
)
model.HistoryAnnotation.table = table(
    "history_annotation",
    Column("history_id", ForeignKey("history.id")),
    Column("user_id", ForeignKey("galaxy_user.id")),
)
model.Page.table = table("page")
model.PageTagAssociation.table = table(
    "page_tag_association",
    Column("page_id", ForeignKey("page.id")),
    Column("tag_id", ForeignKey("tag.id")),
    Column("user_id", ForeignKey("galaxy_user.id")),
)


def simple_mapping(model, **kwds):
    mapper(model, model.table, properties=kwds)


def tag_mapping(tag_association_class, backref_name):
    simple_mapping(tag_association_class, tag=relation(model.Tag, backref=backref_name), user=relation(model.User))


def annotation_mapping(annotation_class, **kwds):
    """Map an annotation class; each keyword names the annotated class."""
    kwds = {key: relation(value) for key, value in kwds.items()}
    simple_mapping(annotation_class, **dict(user=relation(model.User), **kwds))


simple_mapping(model.User)
simple_mapping(model.Tag)

# The tag association is mapped before the class that declares the backref.
tag_mapping(model.PageTagAssociation, "tagged_pages")

simple_mapping(
    model.Page,
    tags=relation(model.PageTagAssociation, order_by=model.PageTagAssociation.table.c.id, backref="page"),
)

simple_mapping(
    model.History,
    user=relation(model.User, backref="histories"),
    tags=relation(
        model.HistoryTagAssociation,
        order_by=model.HistoryTagAssociation.table.c.id,
        backref="history",
    ),
    annotations=relation(model.HistoryAnnotation, backref="annotated_history"),
)

tag_mapping(model.HistoryTagAssociation, "tagged_histories")
annotation_mapping(model.HistoryAnnotation, annotated=model.History)
