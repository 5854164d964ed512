"""Helpers that read relationship backrefs when the mappers are configured."""
from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper


def _backref_name(rel):
    return rel.backref if isinstance(rel.backref, str) else rel.backref[0]


def remember_backref_names(model, *names):
    @event.listens_for(Mapper, "after_configured", once=True)
    def _configured():
        model.backref_names = {
            r.key: _backref_name(r) for r in inspect(model).relationships if r.key in names
        }
