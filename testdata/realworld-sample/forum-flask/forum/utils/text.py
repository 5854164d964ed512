import collections

from jinja2 import Markup


def render_signature(text):
    return Markup("<p>%s</p>") % text


class Preferences(collections.MutableMapping):
    """User preferences backed by a plain dict."""

    def __init__(self):
        self._data = {}

    def __getitem__(self, key):
        return self._data[key]

    def __setitem__(self, key, value):
        self._data[key] = value

    def __delitem__(self, key):
        del self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)
