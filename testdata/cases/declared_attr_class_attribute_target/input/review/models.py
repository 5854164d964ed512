from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import backref, declarative_base, declared_attr, relationship

Base = declarative_base()


class PaperQuestion(Base):
    __tablename__ = "paper_questions"
    id = Column(Integer, primary_key=True)
    text = Column(String(200))


class AbstractQuestion(Base):
    __tablename__ = "abstract_questions"
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


class AbstractRating(RatingMixin, Base):
    __tablename__ = "abstract_ratings"
    question_class = AbstractQuestion
    question_id = Column(ForeignKey("abstract_questions.id"))
