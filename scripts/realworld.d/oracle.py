"""Mapper-configuration oracle for one tree of a real-world package.

Usage (run by scripts/realworld with the interpreter of a pinned venv):

    python -I -B oracle.py --root ROOT [--path DIR]... [--stub NAME]...
                           [--hollow NAME]... [--lenient NAME]...
                           [--compat SHIM]... MODULE...

Imports the named model modules of ROOT (ROOT first on sys.path, then each
--path), runs ``sqlalchemy.orm.configure_mappers()`` and writes every
relationship of every mapper to stdout as canonical JSON, with the dumping
functions of src/verify/dump.py. Two trees whose documents are equal
configure the same relationships.

Real-world model modules import far more than SQLAlchemy. What is not
installed is fabricated, for the code of the trees under test only (an
installed library or the standard library probing for an optional module
still gets its ImportError):

* a top-level module that no finder can find (a third-party distribution
  that is not installed: ``flask_login``, ``oslo_config``), or a missing
  portion of a namespace package (``opentelemetry.trace``), becomes a *stub
  module*; so do the modules named with --stub even when installed. Every
  attribute of a stub module is a *stub*: a permissive object that can be
  called, subscripted, compared, iterated (as empty) and subclassed (the
  subclass gets a plain, empty base class of the same name, whose instances
  answer a stub for any public attribute they lack; a base named like a
  metaclass, ``FormMeta``, derives from ``type``). Called on a function or
  class that the calling code is defining, a stub is taken for a decorator
  and returns it unchanged;
* an installed module named with --lenient answers a stub for a name it
  does not have any more (``from jinja2 import Markup``);
* a package named with --hollow is created without running its
  ``__init__.py`` (its submodules still load from its directory), for
  packages whose ``__init__`` builds the whole application;
* --compat applies a shim for code older than the interpreter
  (``collections-abc-aliases``: ``collections.Mapping`` and friends).

Each module is imported on its own; one that raises is recorded under
``import_errors`` and the others are still imported, so a first run shows
which modules cannot be imported at all. The document names the stub modules
that were fabricated.

When the configuration raises, the document has an ``"error"`` key instead,
as dump.py's does.
"""

import argparse
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import json
import os
import sys
import traceback
import types
import warnings

HERE = os.path.dirname(os.path.realpath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DUMP_PY = os.path.join(REPO, "src", "verify", "dump.py")


def load_dump_module():
    """Import src/verify/dump.py under a private name (it is not a package)."""
    spec = importlib.util.spec_from_file_location("_backpop_equiv_dump", DUMP_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------
# Stubs
# --------------------------------------------------------------------------

STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | frozenset(
    sys.builtin_module_names
)

_STUB_CLASSES = {}


def stub_base_class(qualified):
    """The class that stands for the stub ``qualified`` in a class's bases.

    A plain, empty class (metaclass ``type``, so that it mixes with a
    declarative base); one per name, so that two classes subclassing the same
    stub share their base and an MRO stays consistent.
    """
    cls = _STUB_CLASSES.get(qualified)
    if cls is None:
        module, _, name = qualified.rpartition(".")
        doc = "stand-in for %s" % qualified
        if is_metaclass_name(name):
            cls = type(name, (type,), {"__module__": module or qualified, "__doc__": doc})
            _STUB_CLASSES[qualified] = cls
            return cls

        def __init__(self, *args, **kwargs):
            pass

        def __init_subclass__(cls, **kwargs):
            pass

        def __getattr__(self, attr):
            # What the missing base class would have given its instances
            # (``multipass.identity_handler``, ``self.Task``); private names
            # (``_sa_instance_state``) stay missing.
            if attr.startswith("_"):
                raise AttributeError(attr)
            return Stub("%s().%s" % (qualified, attr))

        cls = type(
            name or qualified,
            (),
            {
                "__module__": module or qualified,
                "__init__": __init__,
                "__init_subclass__": classmethod(__init_subclass__),
                "__getattr__": __getattr__,
                "__doc__": doc,
            },
        )
        _STUB_CLASSES[qualified] = cls
    return cls


def is_metaclass_name(name):
    """Whether the stub ``name`` is taken for a metaclass (``FormMeta``,
    ``ModelMetaclass``): a class deriving from it is a metaclass too, so its
    stand-in derives from ``type``."""
    return name.endswith(("Meta", "Metaclass", "MetaClass")) and name[:1].isupper()


def _is_decorated(value, frame):
    """Whether a stub called with ``value`` alone is decorating it.

    A decorator runs in the namespace that defines the function or class,
    before the name is bound there: ``@login_required`` on a view is a
    decoration, ``getargspec(f)`` or ``get_unique_keys(Model)`` in a library
    is a call (and returns a stub).
    """
    if isinstance(value, (staticmethod, classmethod)):
        value = value.__func__
    elif isinstance(value, property):
        value = value.fget
    if not (inspect.isfunction(value) or inspect.isclass(value)):
        return False
    return (
        frame is not None
        and getattr(value, "__module__", None) == frame.f_globals.get("__name__")
        and frame.f_locals.get(value.__name__) is not value
    )


class Stub:
    """A permissive stand-in for any object of a module that is not installed."""

    __slots__ = ("_stub_name", "__dict__")

    def __init__(self, name, *args, **kwargs):
        # ``StubbedBase.__init__(self, ...)`` from a subclass of a stub reaches
        # here with the stub already named: accept and ignore it.
        if not hasattr(self, "_stub_name"):
            object.__setattr__(self, "_stub_name", name)

    def __getattr__(self, attr):
        if attr == "_stub_name":
            raise AttributeError(attr)
        if attr.startswith("__") and attr.endswith("__"):
            # What code asks of a module or a function it was given.
            if attr in ("__name__", "__qualname__"):
                return self._stub_name.rpartition(".")[2]
            if attr == "__path__":
                return []
            if attr == "__version__":
                return "0"
            raise AttributeError(attr)
        value = Stub("%s.%s" % (self._stub_name, attr))
        object.__setattr__(self, attr, value)
        return value

    def __call__(self, *args, **kwargs):
        # Used as a decorator (``@stub`` or ``@stub(...)``): keep the function.
        if len(args) == 1 and not kwargs and _is_decorated(args[0], sys._getframe(1)):
            return args[0]
        return Stub("%s()" % self._stub_name)

    def __mro_entries__(self, bases):
        return (stub_base_class(self._stub_name),)

    def __getitem__(self, key):
        return Stub("%s[]" % self._stub_name)

    def __setitem__(self, key, value):
        pass

    def __delitem__(self, key):
        pass

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __contains__(self, item):
        return False

    def __bool__(self):
        return True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __or__(self, other):
        return Stub("%s|" % self._stub_name)

    __ror__ = __and__ = __rand__ = __add__ = __radd__ = __or__
    __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __mod__ = __or__

    def __eq__(self, other):
        return self is other

    def __lt__(self, other):
        return False

    __le__ = __gt__ = __ge__ = __lt__

    def __hash__(self):
        return hash(self._stub_name)

    def __str__(self):
        return self._stub_name

    def __repr__(self):
        return "<stub %s>" % self._stub_name

    def __fspath__(self):
        return self._stub_name


class StubModule(types.ModuleType):
    """A fabricated module: every attribute is a stub."""

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        value = Stub("%s.%s" % (self.__name__, attr))
        setattr(self, attr, value)
        return value


class StubLoader(importlib.abc.Loader):
    def create_module(self, spec):
        module = StubModule(spec.name)
        module.__path__ = []
        module.__all__ = []
        module.__version__ = "0"
        return module

    def exec_module(self, module):
        pass


class HollowLoader(importlib.abc.Loader):
    """Create a package from its directory without running its ``__init__``."""

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        pass


# Directories of the trees under test (ROOT and the --path entries), with a
# trailing separator.
TREES = []


def from_tree():
    """Whether the code running the current import statement (or attribute
    lookup) belongs to the trees under test."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith("<frozen importlib") and filename != __file__:
            return any(filename.startswith(tree) for tree in TREES)
        frame = frame.f_back
    return False


class StubFinder(importlib.abc.MetaPathFinder):
    """Placed last on sys.meta_path: fabricates what nothing else can find.

    When the code importing it belongs to the trees under test (ROOT and the
    --path entries), a module that no other finder found becomes a stub
    module if it is top-level (a third-party distribution that is not
    installed) or a portion of a namespace package (``opentelemetry.trace``
    when only another ``opentelemetry-*`` distribution is there). Submodules
    of stub modules are stub modules. An installed library or the standard
    library probing for an optional module still gets its ImportError, a
    standard-library name is never stubbed, and a missing submodule of a
    regular package is still an ImportError.
    """

    def __init__(self, forced):
        self.forced = set(forced)
        self.fabricated = set()

    def find_spec(self, fullname, path, target=None):
        top = fullname.partition(".")[0]
        parent = sys.modules.get(fullname.rpartition(".")[0])
        if isinstance(parent, StubModule) or top in self.forced:
            pass
        elif top in STDLIB or not from_tree():
            return None
        elif path is not None and not is_namespace_package(parent):
            return None
        if not isinstance(parent, StubModule):
            self.fabricated.add(fullname)
        return importlib.machinery.ModuleSpec(fullname, StubLoader(), is_package=True)


def is_namespace_package(module):
    spec = getattr(module, "__spec__", None)
    return spec is not None and spec.origin in (None, "namespace") and not isinstance(
        module, StubModule
    )


class ForcedFinder(importlib.abc.MetaPathFinder):
    """Placed first: stubs the --stub modules and hollows the --hollow packages."""

    def __init__(self, stub_finder, hollow, roots):
        self.stub_finder = stub_finder
        self.hollow = set(hollow)
        self.roots = roots

    def find_spec(self, fullname, path, target=None):
        top = fullname.partition(".")[0]
        if top in self.stub_finder.forced:
            return self.stub_finder.find_spec(fullname, path, target)
        if fullname in self.hollow:
            rel = fullname.replace(".", os.sep)
            for root in self.roots:
                directory = os.path.join(root, rel)
                if os.path.isfile(os.path.join(directory, "__init__.py")):
                    spec = importlib.machinery.ModuleSpec(
                        fullname, HollowLoader(), is_package=True
                    )
                    spec.submodule_search_locations = [directory]
                    spec.origin = os.path.join(directory, "__init__.py")
                    return spec
        return None


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------


def is_compiler_warning(w):
    """Warnings that compiling a source emits: they say nothing of the models,
    and whether they show depends on a bytecode cache."""
    if issubclass(w.category, SyntaxWarning):
        return True
    return issubclass(w.category, DeprecationWarning) and "invalid escape sequence" in str(
        w.message
    )


# Shims for packages older than the interpreter, named by --compat.
def _collections_abc_aliases():
    """Python 3.10 removed the ``collections.Mapping``-style aliases of
    ``collections.abc``; code written before still uses them."""
    import collections
    import collections.abc

    for name in collections.abc.__all__:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


COMPAT = {"collections-abc-aliases": _collections_abc_aliases}


def make_lenient(name):
    """Give the installed module ``name`` and its loaded submodules a PEP 562
    ``__getattr__`` that returns a stub for a name they no longer have
    (``from jinja2 import Markup``), when the trees under test ask for it."""
    importlib.import_module(name)
    for loaded in sorted(sys.modules):
        if loaded == name or loaded.startswith(name + "."):
            _lenient_module(sys.modules[loaded])


def _lenient_module(module):
    previous = module.__dict__.get("__getattr__")
    name = module.__name__

    def __getattr__(attr):
        if previous is not None:
            try:
                return previous(attr)
            except AttributeError:
                pass
        # Only the trees under test get stubs: an installed library probing
        # the module with hasattr() still sees what is really there.
        if (attr.startswith("__") and attr.endswith("__")) or not from_tree():
            raise AttributeError("module %r has no attribute %r" % (name, attr))
        return Stub("%s.%s" % (name, attr))

    module.__getattr__ = __getattr__


def apply_compat(names):
    for name in names:
        COMPAT[name]()


def run(root, paths, modules, forced_stubs, hollow, compat, lenient):
    dump = load_dump_module()
    sys.dont_write_bytecode = True
    sys.path[:] = [root] + paths + [p for p in sys.path if os.path.realpath(p or ".") != HERE]
    apply_compat(compat)
    TREES[:] = [os.path.join(tree, "") for tree in [root] + paths]
    stub_finder = StubFinder(forced_stubs)
    sys.meta_path.insert(0, ForcedFinder(stub_finder, hollow, [root] + paths))
    sys.meta_path.append(stub_finder)
    for name in lenient:
        make_lenient(name)

    import_errors = {}
    stage = "import"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(sys.stderr):
                for name in modules:
                    try:
                        importlib.import_module(name)
                    except BaseException as exc:  # noqa: B036 - SystemExit too
                        if isinstance(exc, KeyboardInterrupt):
                            raise
                        import_errors[name] = dump.normalize_text(
                            "%s: %s" % (type(exc).__name__, exc), root
                        )
                        print("import of %s failed:" % name, file=sys.stderr)
                        traceback.print_exc(file=sys.stderr)
                stage = "configure"
                import sqlalchemy
                from sqlalchemy.orm import configure_mappers

                configure_mappers()
                stage = "dump"
                mappers = dump.dump_configuration()
        except BaseException as exc:  # noqa: B036
            if isinstance(exc, KeyboardInterrupt):
                raise
            document = dump.error_document(exc, root, stage)
            document["import_errors"] = import_errors
            document["stubbed"] = sorted(stub_finder.fabricated)
            return document

    kept = [w for w in caught if not is_compiler_warning(w)]
    return {
        "sqlalchemy_version": sqlalchemy.__version__,
        "modules": modules,
        "import_errors": import_errors,
        "stubbed": sorted(stub_finder.fabricated),
        "mappers": mappers,
        "warnings": dump.record_warnings(kept, root, set()),
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True, help="tree to import (first on sys.path)")
    parser.add_argument("--path", action="append", default=[], help="more sys.path entries")
    parser.add_argument("--stub", action="append", default=[], help="stub this module")
    parser.add_argument("--hollow", action="append", default=[], help="skip this __init__")
    parser.add_argument(
        "--lenient", action="append", default=[], help="stub names this module lacks"
    )
    parser.add_argument(
        "--compat", action="append", default=[], choices=sorted(COMPAT), help="apply a shim"
    )
    parser.add_argument("modules", nargs="*", help="modules to import, in order")
    args = parser.parse_args(argv[1:])
    root = os.path.realpath(args.root)
    if not os.path.isdir(root):
        parser.error("not a directory: %s" % args.root)
    paths = [os.path.realpath(p) for p in args.path]
    document = run(root, paths, args.modules, args.stub, args.hollow, args.compat, args.lenient)
    json.dump(document, sys.stdout, sort_keys=True, indent=1)
    sys.stdout.write("\n")
    return 1 if "error" in document else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
