import sqlalchemy as sa
from sqlalchemy import orm

from vendor_lib import model_base


class HasId:
    """Mixin: a string primary key."""

    id = sa.Column(sa.String(36), primary_key=True)


class Network(model_base.BASEV2, HasId, model_base.HasProject):
    name = sa.Column(sa.String(255))


class Port(model_base.BASEV2, HasId, model_base.HasProject):
    network_id = sa.Column(sa.String(36), sa.ForeignKey("networks.id"), nullable=False)
    network = orm.relationship(Network, backref=orm.backref("ports", lazy="selectin"))
