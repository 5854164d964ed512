from sqlalchemy import Column, Integer, MetaData, Table
from sqlalchemy.orm import mapper

metadata = MetaData()


class Dataset:
    pass


Dataset.table = Table("dataset", metadata, Column("id", Integer, primary_key=True))
mapper(Dataset, Dataset.table)
