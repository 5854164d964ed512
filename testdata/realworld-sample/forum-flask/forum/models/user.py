from flask_login import UserMixin

from forum.extensions import db
from forum.utils.text import Preferences, render_signature

memberships = db.Table(
    "memberships",
    db.Column("user_id", db.Integer, db.ForeignKey("users.id"), primary_key=True),
    db.Column("board_id", db.Integer, db.ForeignKey("boards.id"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), unique=True, nullable=False)
    signature = db.Column(db.Text)

    threads = db.relationship("Thread", backref="starter", lazy="dynamic")
    boards = db.relationship(
        "Board",
        secondary=memberships,
        backref=db.backref("members", lazy="dynamic"),
    )

    def preferences(self):
        return Preferences()

    def signature_html(self):
        return render_signature(self.signature)
