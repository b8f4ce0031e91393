//! How a cashier's look-ups match: shared by the terminal's IndexedDB indexes
//! and anything that searches the same data, so both always agree.

/// Lower-case words of a text, split on anything not a letter or digit.
/// "Premium wash + Hot-Wax" → ["premium", "wash", "hot", "wax"].
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    out.sort();
    out.dedup();
    out
}

/// The words a product is found by: its name, article number and barcode.
pub fn product_words(name: &str, article_number: &str, barcode: Option<&str>) -> Vec<String> {
    let mut all = words(name);
    all.extend(words(article_number));
    all.extend(barcode.map(words).unwrap_or_default());
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_unique_and_split_on_punctuation() {
        assert_eq!(words("Premium wash + Hot-Wax wash"), ["hot", "premium", "wash", "wax"]);
        assert_eq!(words("Kaffe & bulle, Åre"), ["bulle", "kaffe", "åre"]);
        assert!(words("  -- ").is_empty());
    }

    #[test]
    fn products_are_found_by_article_number_and_barcode_too() {
        assert_eq!(
            product_words("Basic wash", "W100", Some("7310000000010")),
            ["7310000000010", "basic", "w100", "wash"]
        );
    }

    #[test]
    fn plates_compare_without_spaces_dashes_or_case() {
        use crate::customer::normalise_plate;
        assert_eq!(normalise_plate("abc 123"), "ABC123");
        assert_eq!(normalise_plate("ABC-123"), "ABC123");
    }
}
