from sqlalchemy import Column, ForeignKey, Integer, String

from app.sqlalchemy_helpers import Base, relationship


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    article_id = Column(Integer, ForeignKey("articles.id"))
    name = Column(String(40))
    synonyms = relationship("Synonym")


class Synonym(Base):
    __tablename__ = "synonyms"

    id = Column(Integer, primary_key=True)
    tag_id = Column(Integer, ForeignKey("tags.id"))
