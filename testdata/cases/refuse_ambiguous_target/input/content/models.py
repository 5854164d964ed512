from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import relationship

from registries import base_for

Base = base_for("content")


class Article(Base):
    __tablename__ = "articles"

    id = Column(Integer, primary_key=True)
    title = Column(String(200))

    tags = relationship("Tag", backref="article")
