from sqlalchemy import Boolean, Column, ForeignKey, Integer
from sqlalchemy.orm import backref, declarative_base, declared_attr, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class CommentMixin:
    user_backref_name = None
    editor_backref_name = None

    @declared_attr
    def user_id(cls):
        return Column(Integer, ForeignKey("users.id"))

    @declared_attr
    def editor_id(cls):
        return Column(Integer, ForeignKey("users.id"))

    @declared_attr
    def reader_id(cls):
        return Column(Integer, ForeignKey("users.id"))

    @declared_attr
    def is_deleted(cls):
        return Column(Boolean, nullable=False, default=False)

    @declared_attr
    def user(cls):
        return relationship(
            "User",
            foreign_keys=cls.user_id,
            backref=backref(
                cls.user_backref_name,
                primaryjoin="({0}.user_id == User.id) & ~{0}.is_deleted".format(cls.__name__),
                lazy="dynamic",
            ),
        )

    @declared_attr
    def editor(cls):
        return relationship(
            "User",
            foreign_keys=cls.editor_id,
            backref=backref(
                cls.editor_backref_name,
                order_by="%s.id.desc()" % cls.__name__,
            ),
        )

    @declared_attr
    def reader(cls):
        return relationship(
            "User",
            primaryjoin=f"{cls.__name__}.reader_id == User.id",
            backref=cls.__tablename__ + "_read",
        )


class PostComment(CommentMixin, Base):
    __tablename__ = "post_comments"
    user_backref_name = "post_comments"
    editor_backref_name = "edited_post_comments"
    id = Column(Integer, primary_key=True)


class NoteComment(CommentMixin, Base):
    __tablename__ = "note_comments"
    user_backref_name = "note_comments"
    editor_backref_name = "edited_note_comments"
    id = Column(Integer, primary_key=True)
