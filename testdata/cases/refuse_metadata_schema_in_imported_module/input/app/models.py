import sqlalchemy as sa
from sqlalchemy.orm import relationship

from app import tags
from app.base import Base

article_tag = sa.Table(
    "article_tag",
    Base.metadata,
    sa.Column("article_id", sa.ForeignKey("other.article.id"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("other.tag.id"), primary_key=True),
)


class Article(Base):
    __tablename__ = "article"

    id = sa.Column(sa.Integer, primary_key=True)
    tags = relationship("Tag", secondary=article_tag, backref="articles")


tags.define(Base)
