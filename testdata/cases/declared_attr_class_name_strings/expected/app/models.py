from sqlalchemy import Boolean, Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    post_comments = relationship(
        "PostComment",
        back_populates="user",
        foreign_keys="PostComment.user_id",
        primaryjoin="(PostComment.user_id == User.id) & ~PostComment.is_deleted",
        lazy="dynamic",
    )
    note_comments = relationship(
        "NoteComment",
        back_populates="user",
        foreign_keys="NoteComment.user_id",
        primaryjoin="(NoteComment.user_id == User.id) & ~NoteComment.is_deleted",
        lazy="dynamic",
    )
    edited_post_comments = relationship(
        "PostComment",
        back_populates="editor",
        foreign_keys="PostComment.editor_id",
        order_by="PostComment.id.desc()",
    )
    edited_note_comments = relationship(
        "NoteComment",
        back_populates="editor",
        foreign_keys="NoteComment.editor_id",
        order_by="NoteComment.id.desc()",
    )
    post_comments_read = relationship(
        "PostComment",
        back_populates="reader",
        primaryjoin="PostComment.reader_id == User.id",
    )
    note_comments_read = relationship(
        "NoteComment",
        back_populates="reader",
        primaryjoin="NoteComment.reader_id == User.id",
    )


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
            back_populates=cls.user_backref_name,
        )

    @declared_attr
    def editor(cls):
        return relationship(
            "User",
            foreign_keys=cls.editor_id,
            back_populates=cls.editor_backref_name,
        )

    @declared_attr
    def reader(cls):
        return relationship(
            "User",
            primaryjoin=f"{cls.__name__}.reader_id == User.id",
            back_populates=cls.__tablename__ + "_read",
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
