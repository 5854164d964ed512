"""Plain association tables that have no mapped class of their own."""
from sqlalchemy import Column, ForeignKey, Integer, Table

from app.base import Base

# Links posts to tags; a post may carry many tags and a tag many posts.
post_tags = Table(
    "post_tags",
    Base.metadata,
    Column("post_id", Integer, ForeignKey("posts.id"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id"), primary_key=True),
)
