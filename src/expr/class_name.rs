//! A string a `declared_attr` computes from the name of the class it runs
//! for: `'{0}.user_id == User.id'.format(cls.__name__)`,
//! `'%s.user_id == User.id' % cls.__name__`, `f'{cls.__name__}.user_id'`.
//! Run for one known class, its value is a literal: the text of that string.
//!
//! Only those three spellings, with the class name as the only thing put in,
//! plain fields (`{}`, `{0}`, `%s`), one string literal without escapes; any
//! other text is `None`.

/// The value of `text` when `alias` (the `declared_attr`'s `cls`) is the
/// class named `name`.
pub(super) fn class_name_string(text: &str, alias: &str, name: &str) -> Option<String> {
    let text = text.trim();
    let the_name = format!("{alias}.__name__");
    if let Some(rest) = text.strip_prefix(['f', 'F']) {
        let body = literal_body(rest)?;
        return fields(body, |field| (field == the_name).then_some(name));
    }
    if let Some((literal, args)) = text.split_once(".format(") {
        let args = args.strip_suffix(')')?;
        let all_name = args
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .all(|a| a == the_name);
        if !all_name || args.trim().is_empty() {
            return None;
        }
        let body = literal_body(literal.trim())?;
        return fields(body, |field| {
            (field.is_empty() || field.chars().all(|c| c.is_ascii_digit())).then_some(name)
        });
    }
    if let Some((literal, args)) = text.split_once(" % ") {
        let args = args.trim();
        let args = args
            .strip_prefix('(')
            .and_then(|a| a.strip_suffix(')'))
            .unwrap_or(args);
        let all_name = args
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .all(|a| a == the_name);
        if !all_name || args.trim().is_empty() {
            return None;
        }
        return percent(literal_body(literal.trim())?, name);
    }
    None
}

/// The inside of one string literal (`'...'` or `"..."`, no prefix, no
/// triple quotes, no escapes, no quote of its kind inside).
fn literal_body(text: &str) -> Option<&str> {
    let q = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = text.strip_prefix(q)?.strip_suffix(q)?;
    (!body.contains(q) && !body.contains('\\') && !body.is_empty()).then_some(body)
}

/// `{field}` replaced by what `put` gives for the field's text; `{{` and `}}`
/// stand for braces.
fn fields<'n>(body: &str, put: impl Fn(&str) -> Option<&'n str>) -> Option<String> {
    let mut out = String::with_capacity(body.len() + 16);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        '{' => return None,
                        c => field.push(c),
                    }
                }
                out.push_str(put(field.trim_matches(' '))?);
            }
            '}' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// `%s` replaced by `name`, `%%` by `%`; any other conversion is `None`.
fn percent(body: &str, name: &str) -> Option<String> {
    let mut out = String::with_capacity(body.len() + 16);
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            's' => out.push_str(name),
            '%' => out.push('%'),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::class_name_string as s;

    #[test]
    fn the_three_spellings_give_the_string_for_the_class() {
        let want = Some("(Note.user_id == User.id) & ~Note.is_deleted".to_string());
        assert_eq!(
            s(
                "'({0}.user_id == User.id) & ~{0}.is_deleted'.format(cls.__name__)",
                "cls",
                "Note"
            ),
            want
        );
        assert_eq!(
            s(
                "'(%s.user_id == User.id) & ~%s.is_deleted' % (cls.__name__, cls.__name__)",
                "cls",
                "Note"
            ),
            want
        );
        assert_eq!(
            s(
                "f'({cls.__name__}.user_id == User.id) & ~{cls.__name__}.is_deleted'",
                "cls",
                "Note"
            ),
            want
        );
        assert_eq!(
            s("'{}.id'.format(cls.__name__)", "cls", "Note").as_deref(),
            Some("Note.id")
        );
        assert_eq!(
            s("'{{x}} {0}'.format(cls.__name__)", "cls", "N").as_deref(),
            Some("{x} N")
        );
    }

    #[test]
    fn anything_else_is_not_read() {
        for text in [
            "'{0}.id'.format(cls.__tablename__)",
            "'{0}.{1}'.format(cls.__name__, other)",
            "'{0!r}.id'.format(cls.__name__)",
            "'{0:>9}.id'.format(cls.__name__)",
            "'{name}.id'.format(name=cls.__name__)",
            "'%d.id' % cls.__name__",
            "'%s.id' % self.__name__",
            "f'{cls.__name__}.{col}'",
            "f'{cls.__name__!r}'",
            "'a\\'b{0}'.format(cls.__name__)",
            "'{0}' '.id'.format(cls.__name__)",
            "rb'{0}'.format(cls.__name__)",
            "x.format(cls.__name__)",
        ] {
            assert_eq!(s(text, "cls", "Note"), None, "{text}");
        }
    }
}
