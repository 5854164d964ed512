//! Imperative (classical) mappings: `registry.map_imperatively(Cls, table,
//! properties={...})` and `mapper(Cls, table, properties=dict(...))`. Their
//! `properties` entries that are relationships become facts like class-level
//! ones, and the mapping records where a new entry or a new `properties=`
//! argument would go.

use tree_sitter::Node;

use super::*;

/// Callees (last segment) that map a class imperatively.
pub const MAPPING_CALLEES: &[&str] = &["map_imperatively", "mapper"];

impl Extractor<'_> {
    pub(super) fn mapping(&mut self, call: Node) {
        let Some(callee) = call
            .child_by_field_name("function")
            .and_then(|f| dotted(f, self.src))
        else {
            return;
        };
        if !callee
            .last()
            .is_some_and(|l| MAPPING_CALLEES.contains(&l.as_str()))
        {
            return;
        }
        let Some(args) = call.child_by_field_name("arguments") else {
            return;
        };
        let mut cursor = args.walk();
        let items: Vec<Node> = args
            .named_children(&mut cursor)
            .filter(not_continuation)
            .filter(|n| !n.is_extra())
            .collect();
        let Some(class) = items.first().and_then(|n| dotted(*n, self.src)) else {
            return;
        };
        let positional: Vec<Node> = items
            .iter()
            .copied()
            .filter(|n| {
                !matches!(
                    n.kind(),
                    "keyword_argument" | "dictionary_splat" | "list_splat"
                )
            })
            .collect();
        let props_node = items
            .iter()
            .find(|n| {
                n.kind() == "keyword_argument"
                    && n.child_by_field_name("name").map(|k| self.text(k)) == Some("properties")
            })
            .and_then(|k| k.child_by_field_name("value"))
            .or_else(|| positional.get(2).copied());
        let last = items.last().copied();
        let args_end = last.map_or(args.start_byte() + 1, |n| n.end_byte());
        let args_trailing_comma = self.src[args_end..args.end_byte()].contains(',');
        let args_indent = last.and_then(|n| {
            let ls = line_start(self.src, n.start_byte());
            let prefix = &self.src[ls..n.start_byte()];
            (ls > args.start_byte() && prefix.chars().all(|c| c == ' ' || c == '\t'))
                .then(|| prefix.to_string())
        });
        let inner = args.start_byte() + 1..args.end_byte().saturating_sub(1);
        let one_line = (inner.start <= inner.end
            && !self.src[inner.clone()].trim().contains(['\n', '\r', '#'])
            && args.named_child_count() == items.len())
        .then(|| OneLineCall {
            inner,
            args: items.iter().map(|n| n.start_byte()..n.end_byte()).collect(),
            properties: props_node.and_then(|p| {
                let at = items.iter().position(|n| {
                    n.start_byte() <= p.start_byte() && p.end_byte() <= n.end_byte()
                })?;
                let container = if p.kind() == "call" {
                    p.child_by_field_name("arguments")?
                } else {
                    p
                };
                let mut c = container.walk();
                let entries = container
                    .named_children(&mut c)
                    .filter(not_continuation)
                    .map(|n| n.start_byte()..n.end_byte())
                    .collect();
                let open = items[at].start_byte()..container.start_byte() + 1;
                let close = self.text(container).chars().last()?.to_string();
                Some(OneLineProperties {
                    index: at,
                    open,
                    close,
                    entries,
                })
            }),
        });
        let mapping_index = self.facts.mappings.len();
        let mut fact = MappingFact {
            callee,
            class,
            scope: self.scope,
            call_range: call.start_byte()..call.end_byte(),
            pos: pos(call),
            args_end,
            args_trailing_comma,
            args_indent,
            one_line,
            properties: None,
            opaque_properties: false,
        };
        let mut entries = Vec::new();
        match props_node {
            None => {}
            Some(p) if p.kind() == "dictionary" => {
                let mut c = p.walk();
                let pairs: Vec<Node> = p
                    .named_children(&mut c)
                    .filter(not_continuation)
                    .filter(|n| !n.is_extra())
                    .collect();
                let mut keys = Vec::new();
                for pair in &pairs {
                    let key = (pair.kind() == "pair")
                        .then(|| pair.child_by_field_name("key"))
                        .flatten()
                        .and_then(|k| string_value(k, self.src));
                    let value = pair.child_by_field_name("value");
                    match (key, value) {
                        (Some(k), Some(v)) => {
                            keys.push(k.clone());
                            entries.push((k, v, *pair));
                        }
                        _ => fact.opaque_properties = true,
                    }
                }
                fact.properties = Some(self.properties_fact(p, true, keys, pairs.last().copied()));
            }
            Some(p)
                if p.kind() == "call"
                    && p.child_by_field_name("function").map(|f| self.text(f)) == Some("dict") =>
            {
                let Some(dargs) = p.child_by_field_name("arguments") else {
                    return;
                };
                let mut c = dargs.walk();
                let kws: Vec<Node> = dargs
                    .named_children(&mut c)
                    .filter(not_continuation)
                    .filter(|n| !n.is_extra())
                    .collect();
                let mut keys = Vec::new();
                for kw in &kws {
                    let key = (kw.kind() == "keyword_argument")
                        .then(|| kw.child_by_field_name("name"))
                        .flatten()
                        .map(|k| self.text(k).to_string());
                    match (key, kw.child_by_field_name("value")) {
                        (Some(k), Some(v)) => {
                            keys.push(k.clone());
                            entries.push((k, v, *kw));
                        }
                        _ => fact.opaque_properties = true,
                    }
                }
                fact.properties =
                    Some(self.properties_fact(dargs, false, keys, kws.last().copied()));
            }
            Some(_) => fact.opaque_properties = true,
        }
        self.facts.mappings.push(fact);
        for (key, value, entry) in entries {
            if value.kind() != "call" {
                continue;
            }
            if let Some(rel) =
                self.relationship(value, entry, Owner::Imperative(mapping_index), key, None)
            {
                self.facts.relationships.push(rel);
            }
        }
    }

    fn properties_fact(
        &self,
        container: Node,
        literal: bool,
        keys: Vec<String>,
        last: Option<Node>,
    ) -> PropertiesFact {
        let open_end = container.start_byte() + 1;
        let close = container.end_byte().saturating_sub(1);
        let last_end = last.map(|n| n.end_byte());
        let trailing_comma = last_end.is_some_and(|e| self.src[e..close].contains(','));
        let entry_indent = last.and_then(|n| {
            let ls = line_start(self.src, n.start_byte());
            let prefix = &self.src[ls..n.start_byte()];
            (prefix.chars().all(|c| c == ' ' || c == '\t') && ls > container.start_byte())
                .then(|| prefix.to_string())
        });
        PropertiesFact {
            literal,
            keys,
            open_end,
            last_end,
            trailing_comma,
            entry_indent,
        }
    }
}
