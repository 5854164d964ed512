# Importer from the old phpBB database, kept from the Python 2 days.
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import relationship

Legacy = declarative_base()


class OldForum(Legacy):
    __tablename__ = "phpbb_forums"
    forum_id = Column(Integer, primary_key=True)
    topics = relationship("OldTopic", backref="forum")


class OldTopic(Legacy):
    __tablename__ = "phpbb_topics"
    topic_id = Column(Integer, primary_key=True)
    forum_id = Column(Integer, ForeignKey("phpbb_forums.forum_id"))
    title = Column(String(255))


def run(session):
    for topic in session.query(OldTopic):
        print "importing %s" % topic.title
