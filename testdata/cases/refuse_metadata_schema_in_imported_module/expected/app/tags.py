import sqlalchemy as sa


def define(Base):
    global Tag, Label

    class Tag(Base):
        __tablename__ = "tag"

        id = sa.Column(sa.Integer, primary_key=True)

    class Label(Base):
        __tablename__ = "label"

        id = sa.Column(sa.Integer, primary_key=True)
