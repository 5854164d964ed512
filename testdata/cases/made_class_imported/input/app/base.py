from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()
FEATURE = True


def make_model(name, table):
    return type(
        name,
        (Base,),
        {
            "__tablename__": table,
            "id": Column(Integer, primary_key=True),
            "user_id": Column(Integer, ForeignKey("users.id")),
        },
    )
