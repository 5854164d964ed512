//! Text helpers on byte offsets: where a line starts and ends (any line
//! ending), whitespace removed, and `# backpop: ignore` comments.
//!
//! They work on the source text alone, with no tree: other stages (plan,
//! apply) use them on text they never parse.

/// A `# backpop: ignore` comment in `line`: `Some(None)` ignores everything,
/// `Some(Some(codes))` only the diagnostics with those codes
/// (`# backpop: ignore[BP003, BP005]`).
pub fn suppression(line: &str) -> Option<Option<Vec<String>>> {
    let at = line.find("backpop: ignore")?;
    let rest = &line[at + "backpop: ignore".len()..];
    let Some(list) = rest.strip_prefix('[') else {
        return Some(None);
    };
    let codes: Vec<String> = list
        .split(']')
        .next()
        .unwrap_or_default()
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    // `ignore[]` names nothing: it ignores nothing.
    Some(Some(codes))
}

pub(super) fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn line_start(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

pub fn line_end(src: &str, offset: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = offset.min(bytes.len());
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\r' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\n') {
        i += 1;
    }
    i
}

/// Python text without the white space outside its string literals.
pub fn without_blanks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                out.push(c);
            }
            None if c.is_whitespace() => {}
            None => out.push(c),
        }
    }
    out
}
