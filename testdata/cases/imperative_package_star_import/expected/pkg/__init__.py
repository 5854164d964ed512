from .post import *
from . import meta
from . import user
