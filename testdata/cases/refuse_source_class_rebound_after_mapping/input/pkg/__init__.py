from . import meta
from . import user
