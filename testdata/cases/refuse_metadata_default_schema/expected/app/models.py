import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

from app import tags

Base = declarative_base(metadata=sa.MetaData(schema="other"))

article_tag = sa.Table(
    "article_tag",
    Base.metadata,
    sa.Column("article_id", sa.ForeignKey("other.article.id"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("other.tag.id"), primary_key=True),
)

article_label = sa.Table(
    "article_label",
    Base.metadata,
    sa.Column("article_id", sa.ForeignKey("other.article.id"), primary_key=True),
    sa.Column("label_id", sa.ForeignKey("other.label.id"), primary_key=True),
    schema="other",
)


class Article(Base):
    __tablename__ = "article"

    id = sa.Column(sa.Integer, primary_key=True)
    tags = relationship("Tag", secondary=article_tag, backref="articles")
    labels = relationship("Label", secondary=article_label, back_populates="articles")


tags.define(Base)
