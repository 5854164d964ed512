from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Tag(Base):
    __tablename__ = "old_tags"

    id = Column(Integer, primary_key=True)
    name = Column(String(40))
