from sqlalchemy import Column, ForeignKey, Integer, String, orm

from app.sqlalchemy_helpers import Base, relationship


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    article_id = Column(Integer, ForeignKey("articles.id"))
    name = Column(String(40))
    synonyms = relationship("Synonym")
    article = orm.relationship("Article", back_populates="tags")


class Synonym(Base):
    __tablename__ = "synonyms"

    id = Column(Integer, primary_key=True)
    tag_id = Column(Integer, ForeignKey("tags.id"))
