from sqlalchemy import Column, ForeignKey, Integer, String

from review.models import Base, RatingMixin


class AbstractQuestion(Base):
    __tablename__ = "abstract_questions"
    id = Column(Integer, primary_key=True)
    text = Column(String(200))


class AbstractRating(RatingMixin, Base):
    __tablename__ = "abstract_ratings"
    question_class = AbstractQuestion
    question_id = Column(ForeignKey("abstract_questions.id"))
