from sqlalchemy import Column, Integer
from sqlalchemy.orm import relationship

from app.sqlalchemy_helpers import Base


class Article(Base):
    __tablename__ = "articles"

    id = Column(Integer, primary_key=True)
    tags = relationship("Tag", backref="article")
