# Outside the model package; imports the package, never one of its modules.
CONFIG = {"debug": False}

import shop.model  # noqa: E402
