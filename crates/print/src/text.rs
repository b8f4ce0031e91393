//! Text as a receipt printer prints it: one character per column, in lines of
//! a fixed width.
//!
//! Locale formatting and typed text bring characters no receipt printer's font
//! has: the no-break space (U+00A0) and narrow no-break space (U+202F) that
//! group digits, the minus sign (U+2212), typographic dashes and quotes,
//! decomposed accents. [`printable`] replaces them with what prints the same,
//! before any line is measured, so every layout counts the columns the printer
//! will use.

/// `text` with every character a printer's font lacks but can imitate
/// replaced (spaces, dashes, quotes, the ellipsis), decomposed Swedish letters
/// composed, other combining marks and control characters dropped. Line breaks
/// are the caller's: it splits on `\n` first.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => {
                out.push(' ')
            }
            '\u{2212}' | '\u{2010}'..='\u{2015}' | '\u{FE63}' | '\u{FF0D}' => out.push('-'),
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => out.push('"'),
            '\u{2026}' => out.push_str("..."),
            '\u{0300}'..='\u{036F}' => compose(&mut out, c),
            '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a combining mark into the letter before it where that makes a letter
/// of the Nordic alphabets (text typed on some systems arrives decomposed:
/// "a" + U+030A for "å"); any other mark is dropped, leaving the bare letter.
fn compose(out: &mut String, mark: char) {
    let composed = match (out.chars().last(), mark) {
        (Some('a'), '\u{030A}') => 'å',
        (Some('A'), '\u{030A}') => 'Å',
        (Some('a'), '\u{0308}') => 'ä',
        (Some('A'), '\u{0308}') => 'Ä',
        (Some('o'), '\u{0308}') => 'ö',
        (Some('O'), '\u{0308}') => 'Ö',
        (Some('u'), '\u{0308}') => 'ü',
        (Some('U'), '\u{0308}') => 'Ü',
        (Some('e'), '\u{0301}') => 'é',
        (Some('E'), '\u{0301}') => 'É',
        _ => return,
    };
    out.pop();
    out.push(composed);
}

/// Columns `text` takes: one per character (the code pages are single-byte).
pub fn width(text: &str) -> usize {
    text.chars().count()
}

/// `text` broken into lines of at most `columns`, at spaces where it can be,
/// through a word where a word alone is wider. The first line keeps the
/// text's indent (leading spaces). Never empty: an empty text is one empty line.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let indent = width(text) - width(text.trim_start_matches(' '));
    let mut lines = Vec::new();
    let mut line = " ".repeat(indent.min(columns / 2));
    let mut words_on_line = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let needed =
            if words_on_line == 0 { width(&line) + width(word) } else { width(&line) + 1 + width(word) };
        if needed <= columns {
            if words_on_line > 0 {
                line.push(' ');
            }
            line.push_str(word);
            words_on_line += 1;
            continue;
        }
        if words_on_line > 0 {
            lines.push(std::mem::take(&mut line));
        } else {
            line.clear();
        }
        words_on_line = 1;
        let mut chars: Vec<char> = word.chars().collect();
        while chars.len() > columns {
            lines.push(chars.drain(..columns).collect());
        }
        line = chars.into_iter().collect();
    }
    if words_on_line > 0 || lines.is_empty() {
        lines.push(if words_on_line > 0 { line } else { String::new() });
    }
    lines
}

/// `left` and `right` on one line of `columns`, `right` against the right
/// edge. When they do not fit together, `left` wraps and `right` goes at the
/// end of its last line, or on a line of its own.
pub fn pair(left: &str, right: &str, columns: usize) -> Vec<String> {
    let right_width = width(right);
    let mut lines = wrap(left, columns);
    let last = lines.pop().unwrap_or_default();
    if width(&last) + 1 + right_width <= columns {
        let gap = columns - width(&last) - right_width;
        lines.push(format!("{last}{}{right}", " ".repeat(gap)));
    } else {
        lines.push(last);
        for piece in wrap(right, columns) {
            lines.push(format!("{piece:>columns$}"));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_spaces_and_minus_become_characters_every_printer_has() {
        assert_eq!(printable("1\u{00A0}234,50\u{202F}kr"), "1 234,50 kr");
        assert_eq!(printable("\u{2212}20,00"), "-20,00");
        assert_eq!(printable("A\u{2013}B\u{2014}C"), "A-B-C");
        assert_eq!(printable("\u{201C}Tvätt\u{201D} \u{2019}n\u{2026}"), "\"Tvätt\" 'n...");
        assert_eq!(printable("soft\u{00AD}hyphen\u{200B}"), "softhyphen");
        assert_eq!(printable("tab\there\u{0007}"), "tab here");
    }

    #[test]
    fn decomposed_swedish_letters_are_composed() {
        assert_eq!(printable("A\u{030A}re o\u{0308}l a\u{0308}r cafe\u{0301}"), "Åre öl är café");
        // A mark with no Nordic letter to make is dropped, not printed as "?".
        assert_eq!(printable("n\u{0303}"), "n");
        assert_eq!(printable("\u{0308}x"), "x");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_through_long_words() {
        assert_eq!(wrap("Storgatan 1 i Östersund", 12), vec!["Storgatan 1", "i Östersund"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap("två   mellanslag ", 40), vec!["två mellanslag"]);
        assert_eq!(wrap("  Rabatt på tvätten", 12), vec!["  Rabatt på", "tvätten"]);
        assert_eq!(wrap("   ", 10), vec![""]);
    }

    #[test]
    fn a_pair_fills_the_line_or_moves_the_right_side_down() {
        assert_eq!(pair("Total", "149.00 SEK", 20), vec!["Total     149.00 SEK"]);
        assert_eq!(
            pair("2 x Tvätt Premium med vax", "398.00 SEK", 20),
            vec!["2 x Tvätt Premium", "med vax   398.00 SEK"]
        );
        assert_eq!(pair("Tvättprogram", "10 000.00 SEK", 20), vec!["Tvättprogram", "       10 000.00 SEK"]);
        for line in pair("a very long name indeed that wraps", "123456789012345678901234", 20) {
            assert!(width(&line) <= 20, "{line:?}");
        }
    }
}
