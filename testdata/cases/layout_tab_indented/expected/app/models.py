from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import class_mapper, declarative_base, mapper, relationship

Base = declarative_base()
metadata = MetaData()


class User(Base):
	__tablename__ = "users"
	id = Column(Integer, primary_key=True)
	posts_written_by_this_user = relationship(
		"Post", back_populates="user", order_by="Post.id"
	)


class Post(Base):
	__tablename__ = "posts"
	id = Column(Integer, primary_key=True)
	user_id = Column(Integer, ForeignKey("users.id"))
	user = relationship(User, back_populates="posts_written_by_this_user")


tags = Table("tags", metadata, Column("id", Integer, primary_key=True))
labels = Table(
	"labels",
	metadata,
	Column("id", Integer, primary_key=True),
	Column("tag_id", ForeignKey("tags.id")),
)


class Tag(object):
	pass


class Label(object):
	pass


if True:
	mapper(Tag, tags)
	mapper(
		Label,
		labels,
		properties={
			"tag": relationship(Tag, back_populates="labels_attached_to_this_tag_here")
		},
	)
	class_mapper(Tag, configure=False).add_property(
		"labels_attached_to_this_tag_here", relationship(Label, back_populates="tag")
	)
