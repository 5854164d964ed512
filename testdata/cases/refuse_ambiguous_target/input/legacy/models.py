from sqlalchemy import Column, Integer, String

from registries import base_for

Base = base_for("legacy")


class Tag(Base):
    __tablename__ = "old_tags"

    id = Column(Integer, primary_key=True)
    name = Column(String(50))
