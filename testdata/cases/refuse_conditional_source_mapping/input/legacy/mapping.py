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

WITH_HASHES = False

if WITH_HASHES:
    mapper(DatasetHash, DatasetHash.table, properties={"dataset": relation(Dataset, backref="hashes")})
mapper(Dataset, Dataset.table)
