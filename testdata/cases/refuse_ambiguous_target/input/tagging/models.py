from sqlalchemy import Column, ForeignKey, Integer, String

from registries import base_for

Base = base_for("content")


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    label = Column(String(50))
    article_id = Column(Integer, ForeignKey("articles.id"))
