from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import relationship

from forum.base import Base


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    moderated_forums = relationship(
        "Forum",
        back_populates="moderators",
        secondary="moderators",
        secondaryjoin="(moderators.c.forum_id == forums.c.id)",
        lazy="dynamic",
    )
