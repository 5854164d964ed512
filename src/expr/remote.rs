//! Swapping the `remote()` annotations of a join condition copied to the
//! other side of a pairing, in the text of the moved value.
//!
//! It finds the spellings of `remote` the value calls and hands the swap to
//! `crate::syntax::swap_remote`; it refuses a value it cannot swap with
//! certainty and never rewrites anything else.

use crate::refusal::Refusal;
use crate::syntax;

/// Swap `remote()` annotations of a copied non-many-to-many join condition.
/// `value_text` is a moved value: a quoted string or an expression.
pub fn swap_remote_in(value_text: &str) -> Result<String, Refusal> {
    let refuse = || Refusal::RemoteNotSwappable {
        text: value_text.to_string(),
    };
    let is_quoted = value_text.len() >= 2
        && (value_text.starts_with('"') || value_text.starts_with('\''))
        && value_text.ends_with(&value_text[..1]);
    let inner = if is_quoted {
        &value_text[1..value_text.len() - 1]
    } else {
        value_text
    };
    if !inner.contains("remote") {
        return Ok(value_text.to_string());
    }
    let e =
        syntax::analyze_expr(&inner.replace(crate::codegen::HANGING, " ")).ok_or_else(refuse)?;
    let mut spellings: Vec<String> = e
        .names
        .iter()
        .filter(|n| n.called && n.dotted.last().is_some_and(|l| l == "remote"))
        .map(|n| n.dotted.join("."))
        .collect();
    spellings.sort();
    spellings.dedup();
    if spellings.is_empty() {
        return Ok(value_text.to_string());
    }
    let swapped = syntax::swap_remote(inner, &spellings).ok_or_else(refuse)?;
    if spellings.len() > 1 {
        return Err(refuse());
    }
    Ok(if is_quoted {
        format!("{}{swapped}{}", &value_text[..1], &value_text[..1])
    } else {
        swapped
    })
}
