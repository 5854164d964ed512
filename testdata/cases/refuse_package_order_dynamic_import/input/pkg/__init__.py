import importlib

importlib.import_module("pkg.post")
from . import meta
from . import user
