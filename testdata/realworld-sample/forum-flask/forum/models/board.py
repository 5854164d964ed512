from forum.extensions import db


class Board(db.Model):
    __tablename__ = "boards"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(120), nullable=False)
    position = db.Column(db.Integer, default=0)

    threads = db.relationship(
        "Thread",
        backref=db.backref("board", lazy="joined"),
        cascade="all, delete-orphan",
        order_by="Thread.id",
    )


class Thread(db.Model):
    __tablename__ = "threads"

    id = db.Column(db.Integer, primary_key=True)
    subject = db.Column(db.String(200), nullable=False)
    board_id = db.Column(db.Integer, db.ForeignKey("boards.id"), nullable=False)
    starter_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    first_reply_id = db.Column(
        db.Integer, db.ForeignKey("replies.id", use_alter=True, name="fk_first_reply")
    )

    replies = db.relationship(
        "Reply",
        backref="thread",
        primaryjoin="Reply.thread_id == Thread.id",
        cascade="all, delete-orphan",
    )
    first_reply = db.relationship(
        "Reply", foreign_keys=[first_reply_id], post_update=True, uselist=False
    )


class Reply(db.Model):
    __tablename__ = "replies"

    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.Text, nullable=False)
    thread_id = db.Column(db.Integer, db.ForeignKey("threads.id"), nullable=False)
    parent_id = db.Column(db.Integer, db.ForeignKey("replies.id"))

    answers = db.relationship(
        "Reply", backref=db.backref("parent", remote_side=[id]), foreign_keys=[parent_id]
    )
