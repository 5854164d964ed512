//! The names a module uses: every identifier read as a name outside import
//! statements, and the words of string annotations, so that an import the
//! rewritten module still needs is kept.
//!
//! A superset by design (a name used only in a nested scope, or shadowed
//! there, still counts); it does not say where or in which scope a name is
//! used.

use tree_sitter::Node;

use crate::syntax::parse;

/// Every identifier the module uses outside import statements (as a name, not
/// as an attribute or keyword): what an import it still needs binds.
pub fn used_names(source: &str) -> Option<std::collections::HashSet<String>> {
    Some(used_names_in(parse(source)?.root_node(), source))
}

pub(super) fn used_names_in(root: Node, source: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    // (node, inside an annotation): names in a string annotation are used
    // too (`"Optional[User]"`); other strings are data.
    let mut stack = vec![(root, false)];
    while let Some((n, in_type)) = stack.pop() {
        match n.kind() {
            "import_statement" | "import_from_statement" | "future_import_statement" => continue,
            // `a.b`: only `a` is a name; `f(k=v)`: only `v`.
            "attribute" => {
                stack.extend(n.child_by_field_name("object").map(|o| (o, in_type)));
                continue;
            }
            "keyword_argument" => {
                stack.extend(n.child_by_field_name("value").map(|v| (v, in_type)));
                continue;
            }
            "identifier" => {
                out.insert(source[n.byte_range()].to_string());
            }
            "string" if in_type => {
                let t = &source[n.byte_range()];
                let mut word = String::new();
                for ch in t.chars().chain(std::iter::once(' ')) {
                    if ch.is_alphanumeric() || ch == '_' {
                        word.push(ch);
                    } else if !word.is_empty() {
                        out.insert(std::mem::take(&mut word));
                    }
                }
            }
            _ => {}
        }
        let inner = in_type || n.kind() == "type";
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c).map(|k| (k, inner)));
    }
    out
}
