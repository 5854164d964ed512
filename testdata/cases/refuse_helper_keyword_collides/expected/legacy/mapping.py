from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import mapper, relation

metadata = MetaData()


class Model:
    pass


class Version:
    pass


Model.table = Table("model", metadata, Column("id", Integer, primary_key=True))
Version.table = Table(
    "version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("model_id", ForeignKey("model.id")),
)


def simple_mapping(model, **kwds):
    mapper(model, model.table, properties=kwds)


simple_mapping(Version, owner=relation(Model, backref="model"))
simple_mapping(Model)
