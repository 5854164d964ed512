from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, and_
from sqlalchemy.orm import backref, relationship

from forum.base import LEGACY_BADGES, Base, metadata, moderators

topics = Table(
    "topics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("forum_id", Integer, ForeignKey("forums.id")),
    Column("hidden", Boolean, default=False),
)
forums = Table(
    "forums",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(100)),
)
topic_tags = Table(
    "topic_tags",
    metadata,
    Column("topic_id", Integer, ForeignKey("topics.id"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    label = Column(String(30))
    topics = relationship("Topic", back_populates="tags", secondary=topic_tags)


class Forum(Base):
    __table__ = forums

    moderators = relationship(
        "User",
        secondary=moderators,
        primaryjoin=(moderators.c.forum_id == forums.c.id),
        back_populates="moderated_forums",
    )
    visible_topics = relationship(
        "Topic",
        back_populates="forum",
        primaryjoin=and_(forums.c.id == topics.c.forum_id, topics.c.hidden == False),  # noqa: E712
        viewonly=True,
    )


class Topic(Base):
    __table__ = topics

    forum = relationship(
        Forum,
        back_populates="visible_topics",
    )
    tags = relationship(Tag, topic_tags, back_populates="topics")


if LEGACY_BADGES:

    class Badge(Base):
        __tablename__ = "badges"

        id = Column(Integer, primary_key=True)

else:

    class Badge(Base):
        __tablename__ = "badges"

        id = Column(Integer, primary_key=True)
        level = Column(Integer, default=1)


class Award(Base):
    __tablename__ = "awards"

    id = Column(Integer, primary_key=True)
    badge_id = Column(Integer, ForeignKey("badges.id"))
    badge = relationship("Badge", backref="awards")
