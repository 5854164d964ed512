"""Key/value tags attached to an article; a name occurs once per article."""
from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import attribute_keyed_dict, backref, relationship

from cms.base import Base


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("article_id", "name"),)

    id = Column(Integer, primary_key=True)
    article_id = Column(Integer, ForeignKey("articles.id"), nullable=False)
    name = Column(String(50), nullable=False)
    value = Column(String(200))

    # article.tags_by_name["lang"] -> Tag
    article = relationship(
        "Article",
        backref=backref("tags_by_name", collection_class=attribute_keyed_dict("name")),
    )
