from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import mapper, relation

metadata = MetaData()


class Dataset:
    pass


class DatasetHash:
    pass


Dataset.table = Table("dataset", metadata, Column("id", Integer, primary_key=True))
DatasetHash.table = Table(
    "dataset_hash",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", ForeignKey("dataset.id")),
)


def simple_mapping(model, **kwds):
    mapper(model, model.table, properties=kwds)


try:
    # a site may install its own mapping policy
    from legacy.site_mapping import simple_mapping  # noqa: F811
except ImportError:
    pass


simple_mapping(DatasetHash, dataset=relation(Dataset, backref="hashes"))
simple_mapping(Dataset)
