//! Classes made at run time (`Tag = make_model("Tag", "tags")`): proven to be
//! declarative classes whose metaclass maps an attribute assigned to them
//! (`Tag.user = relationship(...)`), with the name the registry knows them
//! by and the attributes their namespace gives them.

use super::*;

/// A class made at run time, bound to a module-level name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub file: usize,
    /// The module-level name it is bound to.
    pub name: String,
    /// The statement that binds it.
    pub stmt_range: std::ops::Range<usize>,
    /// The class name given to `type()`: the registry's name for it.
    pub registry_name: String,
    /// The attributes of its namespace.
    pub members: Vec<String>,
    /// What its bases are (declarative bases: they name its registry).
    pub bases: Vec<Symbol>,
}

impl<'a> Index<'a> {
    /// The class made at run time that module-level `name` of file `fi` is
    /// bound to: `Ok(None)` when the name is not bound by a call at all,
    /// `Err` with the reason when it is not shown to be a declarative class
    /// made by a factory of the tree.
    pub fn made_class(&self, fi: usize, name: &str) -> Result<Option<Made>, String> {
        let f = &self.files[fi];
        let Some(m) = f.made_classes.iter().find(|m| m.name == name) else {
            return Ok(None);
        };
        if !self.defined_once(fi, name) {
            return Err(format!("`{name}` is bound more than once in its module"));
        }
        let callee = m.callee.join(".");
        let Symbol::Binding(b) = self.lookup_dotted(fi, &m.callee) else {
            return Err(format!("`{callee}` is not a function of the tree"));
        };
        let def = self.binding(b);
        let ff = &self.files[b.file];
        let factory = ff
            .class_factories
            .iter()
            .find(|c| c.name == def.name && c.offset == def.offset)
            .ok_or_else(|| {
                format!("`{callee}` does not only return `type(name, (bases), namespace)`")
            })?;
        if !self.defined_once(b.file, &def.name) {
            return Err(format!("`{callee}` is bound more than once in its module"));
        }
        // A star import may rebind `type` or a base after the factory's `def`.
        let star = |file: usize| {
            self.files[file]
                .source
                .lines()
                .any(|l| l.split('#').next().unwrap_or("").contains("import *"))
        };
        if star(fi) || star(b.file) {
            return Err("a star import may rebind the names it is made with".into());
        }
        if self.lookup_in(b.file, factory.scope, "type") != Symbol::Unknown {
            return Err(format!("`type` in `{callee}` is not the builtin"));
        }
        let mut base_symbols = Vec::new();
        for base in &factory.bases {
            base_symbols.push(self.lookup_dotted_in(b.file, factory.scope, base));
            if !self.declarative_base(b.file, factory.scope, base) {
                return Err(format!(
                    "the base `{}` of the classes `{callee}` makes is not a declarative base",
                    base.join(".")
                ));
            }
        }
        // The argument the call gives a parameter.
        let arg = |i: usize| {
            let positional = m.args.iter().filter(|a| a.keyword.is_none()).nth(i);
            positional.or_else(|| {
                m.args
                    .iter()
                    .find(|a| a.keyword.as_deref() == Some(factory.params[i].as_str()))
            })
        };
        let registry_name = match &factory.class_name {
            FactoryArg::Literal(s) => Some(s.clone()),
            FactoryArg::Param(i) => arg(*i).and_then(|a| a.string.clone()),
            FactoryArg::Keys(_) => None,
        }
        .ok_or_else(|| format!("the class name `{name}` is made with is not a string"))?;
        let members = match &factory.namespace {
            FactoryArg::Keys(k) => Some(k.clone()),
            FactoryArg::Param(i) => arg(*i).and_then(|a| a.dict_keys.clone()),
            FactoryArg::Literal(_) => None,
        }
        .ok_or_else(|| format!("the namespace `{name}` is made with is not a dict literal"))?;
        if members.iter().any(|m| m == "__abstract__") {
            return Err(format!("`{name}` is made `__abstract__`: it is not mapped"));
        }
        Ok(Some(Made {
            file: fi,
            name: name.to_string(),
            stmt_range: m.stmt_range.clone(),
            registry_name,
            members,
            bases: base_symbols,
        }))
    }

    /// [`Index::made_class`] of what module-level `name` of file `fi`
    /// means: bound there, or imported from the module that makes it.
    pub fn made_class_named(&self, fi: usize, name: &str) -> Result<Option<Made>, String> {
        if self.files[fi].imports.iter().all(|i| i.bound != name) {
            return self.made_class(fi, name);
        }
        match self.lookup(fi, name) {
            Symbol::Binding(b) if b.file != fi => {
                let bound = self.files[fi]
                    .bindings
                    .iter()
                    .filter(|x| x.scope == 0 && x.name == name)
                    .count();
                let imports = self.files[fi]
                    .imports
                    .iter()
                    .filter(|i| i.bound == name)
                    .count();
                match self.made_class(b.file, &self.binding(b).name)? {
                    Some(_) if bound != 0 || imports != 1 => {
                        Err(format!("`{name}` is bound more than once in its module"))
                    }
                    other => Ok(other),
                }
            }
            _ => Ok(None),
        }
    }

    /// The declarative bases among the bases of class `c` and of its
    /// ancestors (they name its registry).
    pub fn declarative_roots(&self, c: ClassId) -> Vec<Symbol> {
        std::iter::once(c)
            .chain(self.ancestors(c))
            .flat_map(|k| {
                let class = self.class(k);
                class
                    .bases
                    .iter()
                    .filter(|b| self.declarative_base(k.file, class.scope, b))
                    .map(|b| self.lookup_dotted_in(k.file, class.scope, b))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Whether class `c` or an ancestor derives from SQLAlchemy's
    /// `DeferredReflection`: mapped only when it is prepared.
    pub fn deferred_reflection(&self, c: ClassId) -> bool {
        std::iter::once(c).chain(self.ancestors(c)).any(|k| {
            let class = self.class(k);
            class.bases.iter().any(|b| {
                matches!(self.lookup_dotted_in(k.file, class.scope, b),
                    Symbol::External { module, name: Some(n) }
                        if module.starts_with("sqlalchemy") && n == "DeferredReflection")
            })
        })
    }

    /// Whether module-level `name` of file `fi` is bound by exactly one
    /// statement of the module (a `def`, a class, an assignment) and by no
    /// import.
    pub fn defined_once(&self, fi: usize, name: &str) -> bool {
        let f = &self.files[fi];
        f.bindings
            .iter()
            .filter(|b| b.scope == 0 && b.name == name)
            .count()
            == 1
            && f.imports.iter().all(|i| i.bound != name)
    }

    /// Whether `base` (in scope `scope` of file `fi`) is a declarative base
    /// whose metaclass maps attributes assigned to its classes: the result
    /// of `declarative_base()`, or a subclass of SQLAlchemy's `DeclarativeBase`.
    pub fn declarative_base(&self, fi: usize, scope: usize, base: &[String]) -> bool {
        match self.lookup_dotted_in(fi, scope, base) {
            Symbol::Binding(b) => self.binding(b).kind == BindingKind::DeclarativeBase,
            Symbol::Class(c) => {
                let class = self.class(c);
                class.opaque_bases == 0
                    && class.bases.iter().any(|d| {
                        matches!(self.lookup_dotted_in(c.file, class.scope, d),
                            Symbol::External { module, name: Some(n) }
                                if module.starts_with("sqlalchemy") && n == "DeclarativeBase")
                    })
            }
            _ => false,
        }
    }
}
