import sqlalchemy as sa
import sqlalchemy.orm

Base = sa.orm.declarative_base()


class User(Base):
    __tablename__ = "users"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(80), nullable=False)

    posts = sa.orm.relationship("Post", back_populates="author")
    comments = sa.orm.relationship("Comment", back_populates="commenter")


class Post(Base):
    __tablename__ = "posts"

    id = sa.Column(sa.Integer, primary_key=True)
    title = sa.Column(sa.String(200))
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    author = sa.orm.relationship("User", back_populates="posts")


class Comment(Base):
    __tablename__ = "comments"

    id = sa.Column(sa.Integer, primary_key=True)
    text = sa.Column(sa.Text)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    commenter = sa.orm.relationship("User", back_populates="comments", lazy="joined")
