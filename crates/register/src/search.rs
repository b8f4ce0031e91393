//! Search-as-you-type over the catalogue, in memory.
//!
//! Every word of every item (name, article number, barcode, split the way
//! `possum_contract::lookup` splits them) goes into one sorted list; a query
//! word is a prefix range found by binary search, and the words of a query
//! must all match. Items keep the order they were given in, so results come
//! out in display order without sorting per keystroke.
//!
//! Words are compared without diacritics ([`fold`]): a cashier on a tablet
//! keyboard types "tvatt" for "Tvätt" and "creme" for "Crème", and one
//! typing "tvätt" still finds it.

use possum_contract::lookup;
use uuid::Uuid;

const MAX_QUERY_WORDS: usize = 16;

/// What the index needs to know of one item.
pub struct Entry {
    pub words: Vec<String>,
    pub category: Option<Uuid>,
}

pub struct SearchIndex {
    /// (word, item) sorted by word.
    words: Vec<(Box<str>, u32)>,
    categories: Vec<Option<Uuid>>,
}

impl SearchIndex {
    /// Builds the index; item `i` of the result is `entries[i]`.
    pub fn new(entries: impl IntoIterator<Item = Entry>) -> Self {
        let mut words = Vec::new();
        let mut categories = Vec::new();
        for (i, entry) in entries.into_iter().enumerate() {
            let i = u32::try_from(i).expect("fewer than four billion items");
            words.extend(entry.words.into_iter().map(|w| (fold(&w).into_boxed_str(), i)));
            categories.push(entry.category);
        }
        words.sort_unstable();
        Self { words, categories }
    }

    pub fn len(&self) -> usize {
        self.categories.len()
    }

    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
    }

    fn prefix_range(&self, prefix: &str) -> &[(Box<str>, u32)] {
        let start = self.words.partition_point(|(w, _)| &**w < prefix);
        let len = self.words[start..].partition_point(|(w, _)| w.starts_with(prefix));
        &self.words[start..start + len]
    }

    /// The items matching every word of `query` (as prefixes) and `category`
    /// when given, in item order.
    pub fn search(&self, query: &str, category: Option<Uuid>) -> Vec<u32> {
        let n = self.len();
        let in_category = |i: usize| category.is_none() || self.categories[i] == category;
        // A query longer than any name is still answered, from its first words.
        let query_words: Vec<String> = lookup::words(query).iter().map(|w| fold(w)).collect();
        let mut ranges: Vec<&[(Box<str>, u32)]> =
            query_words.iter().take(MAX_QUERY_WORDS).map(|w| self.prefix_range(w)).collect();
        if ranges.is_empty() {
            return (0..n).filter(|i| in_category(*i)).map(|i| i as u32).collect();
        }
        // Start from the narrowest word; every other word must match too.
        ranges.sort_by_key(|r| r.len());
        let mut hits = vec![0u8; n];
        for (round, range) in ranges.iter().enumerate() {
            for (_, item) in range.iter() {
                let h = &mut hits[*item as usize];
                if usize::from(*h) == round {
                    *h += 1;
                }
            }
        }
        let all = ranges.len();
        (0..n).filter(|i| usize::from(hits[*i]) == all && in_category(*i)).map(|i| i as u32).collect()
    }
}

/// A lower-case word without the diacritics of the Latin letters a shop's
/// names use: å ä à á â → a, ö ø ó ò ô → o, é è ê ë → e, and so on.
///
/// A fixed table rather than Unicode decomposition: the decomposition tables
/// would add tens of kilobytes to the terminal's download for letters a
/// Swedish catalogue does not have. Letters outside the table are kept.
pub fn fold(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' | 'â' | 'ã' | 'æ' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' | 'œ' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' | 'ù' | 'û' => 'u',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ç' => 'c',
            'ñ' => 'n',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> (SearchIndex, Uuid) {
        let washes = Uuid::new_v4();
        let items = [
            ("Basic wash", "W100", Some("7310000000010"), Some(washes)),
            ("Premium wash + wax", "W200", None, Some(washes)),
            ("Coffee", "F100", Some("7310000000027"), None),
            ("Wax polish", "P100", None, None),
        ];
        let entries = items.iter().map(|(name, article, barcode, category)| Entry {
            words: lookup::product_words(name, article, *barcode),
            category: *category,
        });
        (SearchIndex::new(entries), washes)
    }

    #[test]
    fn every_word_is_a_prefix_that_must_match() {
        let (ix, _) = index();
        assert_eq!(ix.search("wa", None), [0, 1, 3]);
        assert_eq!(ix.search("WASH", None), [0, 1]);
        assert_eq!(ix.search("wax wa", None), [1, 3]);
        assert_eq!(ix.search("pre wax", None), [1]);
        assert_eq!(ix.search("zebra", None), Vec::<u32>::new());
        assert_eq!(ix.search("wash zebra", None), Vec::<u32>::new());
    }

    #[test]
    fn article_numbers_and_barcodes_are_found_too() {
        let (ix, _) = index();
        assert_eq!(ix.search("w2", None), [1]);
        assert_eq!(ix.search("7310000000027", None), [2]);
        assert_eq!(ix.search("731", None), [0, 2]);
    }

    #[test]
    fn categories_filter_and_an_empty_query_lists_all() {
        let (ix, washes) = index();
        assert_eq!(ix.search("", None), [0, 1, 2, 3]);
        assert_eq!(ix.search("  ", Some(washes)), [0, 1]);
        assert_eq!(ix.search("wax", Some(washes)), [1]);
    }

    #[test]
    fn swedish_names_are_found_with_or_without_their_letters() {
        let entries = ["Tvätt Bas", "Kaffe", "Crème brûlée", "Smörgås", "Tvatt-schampo"]
            .iter()
            .map(|name| Entry { words: lookup::words(name), category: None });
        let ix = SearchIndex::new(entries);
        assert_eq!(ix.search("tvatt", None), [0, 4]);
        assert_eq!(ix.search("TVÄTT", None), [0, 4]);
        assert_eq!(ix.search("kaffe", None), [1]);
        assert_eq!(ix.search("creme brul", None), [2]);
        assert_eq!(ix.search("smorgas", None), [3]);
        assert_eq!(ix.search("smörg", None), [3]);
        assert_eq!(fold("åäöÅ"), "aaoÅ", "fold expects lower-case words");
    }

    #[test]
    fn a_repeated_query_word_does_not_need_two_matches() {
        let (ix, _) = index();
        assert_eq!(ix.search("wash wash", None), [0, 1]);
    }
}
