//! Wrapper families (`wrapper-families` in the configuration): which family
//! a callee belongs to, and whether the family is shown to add the same
//! defaults to a relationship and to a backref.
//!
//! A family whose functions the tree defines is proven from their bodies
//! ([`crate::facts::WrapperFn`]); one from outside the tree is taken as the
//! configuration declares it.

use super::*;
use crate::config::{Family, PlainBackref};

/// Which of a family's two functions a callee is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    Relationship,
    Backref,
}

impl<'a> Index<'a> {
    /// What a configured dotted name (`app.orm.relationship`) means, seen
    /// from file `fi`: the tree's binding when the tree has the module.
    pub fn family_function(&self, fi: usize, dotted: &str) -> Symbol {
        let Some((module, name)) = dotted.rsplit_once('.') else {
            return Symbol::Unknown;
        };
        match self.module_file(fi, module) {
            Some(mf) => self.lookup(mf, name),
            None if self.module_files(module).is_empty() => Symbol::External {
                module: module.to_string(),
                name: Some(name.to_string()),
            },
            None => Symbol::Unknown,
        }
    }

    /// The family of the configuration of file `fi` that `callee` (in scope
    /// `scope`) is a member of, and which member.
    pub fn family_member(
        &self,
        fi: usize,
        scope: usize,
        callee: &[String],
    ) -> Option<(&Family, Member)> {
        let families = &self.settings(fi).families;
        if families.is_empty() {
            return None;
        }
        let sym = self.lookup_dotted_in(fi, scope, callee);
        if sym == Symbol::Unknown {
            return None;
        }
        families.iter().find_map(|f| {
            if self.family_function(fi, &f.relationship) == sym {
                Some((f, Member::Relationship))
            } else if self.family_function(fi, &f.backref) == sym {
                Some((f, Member::Backref))
            } else {
                None
            }
        })
    }

    /// Whether `family` adds the same defaults to both of its functions: what
    /// its `relationship()` does with a plain backref, or why it is not shown.
    /// Functions of the tree must be wrappers of SQLAlchemy's own functions
    /// with the same defaults; functions from outside it are as declared.
    pub fn family_proof(&self, fi: usize, family: &Family) -> Result<Option<PlainBackref>, String> {
        let rel = self.family_function(fi, &family.relationship);
        let br = self.family_function(fi, &family.backref);
        match (&rel, &br) {
            (Symbol::External { .. }, Symbol::External { .. }) => Ok(family.plain_backref),
            (Symbol::Binding(r), Symbol::Binding(b)) => {
                let rw = self.wrapper_of(*r, "relationship")?;
                let bw = self.wrapper_of(*b, "backref")?;
                self.same_defaults((r.file, rw), (b.file, bw))?;
                match family.plain_backref {
                    Some(PlainBackref::Family) => Err(format!(
                        "`{}` passes a backref on as it is given, not as `string-backref = \"family\"` declares",
                        family.relationship
                    )),
                    _ => Ok(Some(PlainBackref::Plain)),
                }
            }
            _ => Err(format!(
                "`{}` and `{}` are not both functions of the tree, nor both from outside it",
                family.relationship, family.backref
            )),
        }
    }

    /// The keywords the family's `relationship()` gives a default, when the
    /// tree defines it (`None` for a family from outside the tree).
    pub fn family_defaults(&self, fi: usize, family: &Family) -> Option<Vec<String>> {
        let Symbol::Binding(r) = self.family_function(fi, &family.relationship) else {
            return None;
        };
        let w = self.wrapper_of(r, "relationship").ok()?;
        Some(w.defaults.iter().map(|(k, _)| k.clone()).collect())
    }

    /// The wrapper fact of the function binding `b` when it passes its
    /// arguments on to SQLAlchemy's `what` and nothing rebinds its name.
    fn wrapper_of(&self, b: BindingId, what: &str) -> Result<&'a crate::facts::WrapperFn, String> {
        let binding = self.binding(b);
        let module = &self.modules[b.file];
        let w = self.files[b.file]
            .wrapper_functions
            .iter()
            .find(|w| w.name == binding.name && w.offset == binding.offset)
            .ok_or_else(|| {
                format!(
                    "`{module}.{}` does not only add defaults and pass its arguments on",
                    binding.name
                )
            })?;
        if !self.defined_once(b.file, &w.name) {
            return Err(format!("`{module}.{}` is bound more than once", w.name));
        }
        let target = self.lookup_dotted_in(b.file, w.scope, &w.callee);
        let sqlalchemy = matches!(&target, Symbol::External { module, name: Some(n) }
            if (module == "sqlalchemy" || module.starts_with("sqlalchemy.")) && n == what)
            || matches!(&target, Symbol::External { module, name: None }
                if w.callee.len() >= 2 && w.callee.last().is_some_and(|l| l == what)
                    && (module == "sqlalchemy.orm" || module == "sqlalchemy"));
        if !sqlalchemy {
            return Err(format!(
                "`{module}.{}` calls `{}`, not SQLAlchemy's {what}()",
                w.name,
                w.callee.join(".")
            ));
        }
        Ok(w)
    }

    /// Whether two wrappers add the same defaults: the same keys, each value
    /// the same literal or a name that means the same thing in both places.
    fn same_defaults(
        &self,
        (rf, r): (usize, &crate::facts::WrapperFn),
        (bf, b): (usize, &crate::facts::WrapperFn),
    ) -> Result<(), String> {
        let differ = || {
            format!(
                "`{}.{}` and `{}.{}` do not add the same defaults",
                self.modules[rf], r.name, self.modules[bf], b.name
            )
        };
        if r.defaults.len() != b.defaults.len() {
            return Err(differ());
        }
        for (key, value) in &r.defaults {
            let Some((_, other)) = b.defaults.iter().find(|(k, _)| k == key) else {
                return Err(differ());
            };
            if value != other {
                return Err(differ());
            }
            // A name (not a literal): it must mean the same in both places.
            let name = value
                .chars()
                .all(|c| c == '_' || c == '.' || c.is_alphanumeric())
                && !value.starts_with(|c: char| c.is_ascii_digit())
                && !matches!(value.as_str(), "True" | "False" | "None");
            if name {
                let parts: Vec<String> = value.split('.').map(str::to_string).collect();
                let here = self.lookup_dotted_in(rf, r.scope, &parts);
                if here == Symbol::Unknown || here != self.lookup_dotted_in(bf, b.scope, &parts) {
                    return Err(differ());
                }
            }
        }
        Ok(())
    }
}
