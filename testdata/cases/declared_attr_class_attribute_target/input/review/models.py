from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import backref, declarative_base, declared_attr, relationship

Base = declarative_base()


class PaperQuestion(Base):
    __tablename__ = "paper_questions"
    id = Column(Integer, primary_key=True)
    text = Column(String(200))


class RatingMixin:
    question_class = None

    id = Column(Integer, primary_key=True)
    value = Column(Integer)

    @declared_attr
    def question(cls):
        return relationship(
            cls.question_class,
            backref=backref("ratings", cascade="all, delete-orphan", lazy="dynamic"),
        )


class PaperRating(RatingMixin, Base):
    __tablename__ = "paper_ratings"
    question_class = PaperQuestion
    question_id = Column(ForeignKey("paper_questions.id"))


class NoteMixin:
    note_target = None

    id = Column(Integer, primary_key=True)

    @declared_attr
    def subject(cls):
        return relationship(cls.note_target, backref="notes")


class PaperNote(NoteMixin, Base):
    __tablename__ = "paper_notes"
    note_target = "PaperQuestion"
    subject_id = Column(ForeignKey("paper_questions.id"))
