import sqlalchemy as sa
from sqlalchemy import orm

from app.owners import Owner
from vendor_lib.model_base import BASE


class Report(BASE):
    __tablename__ = "reports"
    id = sa.Column(sa.Integer, primary_key=True)
    owner_id = sa.Column(sa.Integer, sa.ForeignKey("owners.id"))
    owner = orm.relationship(Owner, backref="reports")
