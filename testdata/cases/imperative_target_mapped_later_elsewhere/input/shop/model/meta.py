from sqlalchemy import MetaData, orm

metadata = MetaData()
mapper = orm.mapper
