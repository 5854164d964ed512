from sqlalchemy.orm import Query, relationship as sa_relationship, backref as sa_backref

from app import user as user_models


class AppQuery(Query):
    def mine(self):
        return self.filter_by(user_id=user_models.User.id)


def relationship(*args, **kwargs):
    kwargs.setdefault("query_class", AppQuery)
    return sa_relationship(*args, **kwargs)


def backref(*args, **kwargs):
    kwargs.setdefault("query_class", AppQuery)
    return sa_backref(*args, **kwargs)
