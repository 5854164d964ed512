//! The module-level imports of a file, read from its lines: the statements
//! that start at column 0, with their backslash and parenthesis continuations.
//!
//! It does not see indented imports (inside functions, `if TYPE_CHECKING:` or
//! `try:`) and does not resolve relative modules: the module is as written.

/// The import statements that start at column 0: what importing the module
/// runs (indented ones sit in functions, `if TYPE_CHECKING:` or `try:`).
pub(super) fn module_imports(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    // The lines that start with `import ` or `from `, found with a vectorised
    // search for the keyword after a newline (this runs over every byte of
    // every file), in order; a line taken into the statement before it (a
    // continuation) does not start another.
    let bytes = text.as_bytes();
    let mut starts: Vec<usize> = [&b"\nimport "[..], b"\nfrom "]
        .iter()
        .flat_map(|k| memchr::memmem::find_iter(bytes, k).map(|i| i + 1))
        .collect();
    if text.starts_with("import ") || text.starts_with("from ") {
        starts.push(0);
    }
    starts.sort_unstable();
    let line_at = |from: usize| -> (&str, usize) {
        let to = memchr::memchr(b'\n', &bytes[from..]).map_or(text.len(), |i| from + i);
        (&text[from..to], to + 1)
    };
    let mut consumed = 0;
    for start in starts {
        if start < consumed {
            continue;
        }
        let (line, mut next) = line_at(start);
        // The whole statement: backslash continuations and parentheses.
        let mut stmt = line.trim_end_matches('\r').to_string();
        while stmt.ends_with('\\') || (stmt.contains('(') && !stmt.contains(')')) {
            stmt = stmt.trim_end_matches('\\').to_string();
            if next > text.len() {
                break;
            }
            let (more, after) = line_at(next);
            next = after;
            stmt.push(' ');
            stmt.push_str(more.trim_end_matches('\r'));
        }
        consumed = next;
        let stmt = stmt.split('#').next().unwrap_or_default();
        let clean = |s: &str| {
            s.split(" as ")
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches(|c| c == '(' || c == ')')
                .trim()
                .to_string()
        };
        if let Some(rest) = stmt.strip_prefix("import ") {
            for m in rest.split(',').map(clean).filter(|m| !m.is_empty()) {
                out.push((m, Vec::new()));
            }
        } else if let Some(rest) = stmt.strip_prefix("from ")
            && let Some((module, names)) = rest.split_once(" import ")
        {
            let names: Vec<String> = names
                .split(',')
                .map(clean)
                .filter(|n| !n.is_empty() && n != "*")
                .collect();
            out.push((module.trim().to_string(), names));
        }
    }
    out
}
