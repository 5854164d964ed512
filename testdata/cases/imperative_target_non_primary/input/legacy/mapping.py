from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.orm import mapper, relation

from legacy.core import Dataset, metadata


class DatasetHash:
    pass


DatasetHash.table = Table(
    "dataset_hash",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", ForeignKey("dataset.id")),
)


def simple_mapping(model, **kwds):
    mapper(model, model.table, properties=kwds)


def readonly_view(model, **kwds):
    """A second, non-primary mapping of an already mapped class."""
    mapper(model, model.table, non_primary=True, properties=kwds)


simple_mapping(DatasetHash, dataset=relation(Dataset, backref="hashes"))
mapper(Dataset, Dataset.table, non_primary=True)
