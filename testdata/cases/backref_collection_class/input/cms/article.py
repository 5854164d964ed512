"""Articles."""
from sqlalchemy import Column, Integer, String, Text

from cms.base import Base


class Article(Base):
    __tablename__ = "articles"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    body = Column(Text, default="")

    def tag_value(self, name, default=None):
        """Value of the tag called `name`, looked up through the keyed collection."""
        tag = self.tags_by_name.get(name)
        return tag.value if tag is not None else default
