"""Articles."""
from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import attribute_keyed_dict, relationship

from cms.base import Base


class Article(Base):
    __tablename__ = "articles"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    body = Column(Text, default="")
    tags_by_name = relationship(
        "Tag", back_populates="article", collection_class=attribute_keyed_dict("name")
    )

    def tag_value(self, name, default=None):
        """Value of the tag called `name`, looked up through the keyed collection."""
        tag = self.tags_by_name.get(name)
        return tag.value if tag is not None else default
