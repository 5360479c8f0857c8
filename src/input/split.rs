//! Finds record boundaries in CSV bytes so blocks can be parsed in parallel without splitting a record.
//!
//! The rules follow csv-core: a quote opens a quoted field only as the first byte of a field;
//! inside one, `""` is an escaped quote; a quote elsewhere in an unquoted field is literal.
//! Counting quote parity instead would break on the first `5" screen` in a product column.

use memchr::{memchr, memchr2};

#[derive(Debug)]
pub struct Splitter {
    delimiter: u8,
    in_quotes: bool,
    /// Next byte to look at.
    pos: usize,
    /// End (exclusive) of the last complete record seen, outside quotes.
    last_cut: Option<usize>,
    /// Where the quoted field we are inside of opened.
    quote_opened_at: usize,
}

impl Splitter {
    pub fn new(delimiter: u8) -> Self {
        Splitter {
            delimiter,
            in_quotes: false,
            pos: 0,
            last_cut: None,
            quote_opened_at: 0,
        }
    }

    /// Advances over `buf` (which only ever grows at the end between calls, or is cut at a
    /// boundary this splitter returned).
    pub fn scan(&mut self, buf: &[u8]) {
        let mut i = self.pos;
        while i < buf.len() {
            if self.in_quotes {
                match memchr(b'"', &buf[i..]) {
                    None => i = buf.len(),
                    Some(k) => {
                        let q = i + k;
                        if q + 1 == buf.len() {
                            // `"` or `""`? The next read decides.
                            i = q;
                            break;
                        }
                        if buf[q + 1] == b'"' {
                            i = q + 2;
                        } else {
                            self.in_quotes = false;
                            i = q + 1;
                        }
                    }
                }
            } else {
                match memchr2(b'"', b'\n', &buf[i..]) {
                    None => i = buf.len(),
                    Some(k) => {
                        let p = i + k;
                        if buf[p] == b'\n' {
                            self.last_cut = Some(p + 1);
                        } else if p == 0
                            || matches!(buf[p - 1], b'\n' | b'\r')
                            || buf[p - 1] == self.delimiter
                        {
                            self.in_quotes = true;
                            self.quote_opened_at = p;
                        }
                        i = p + 1;
                    }
                }
            }
        }
        self.pos = i;
    }

    /// The end of the last complete record, if any; the caller then drops `..cut` from its buffer.
    pub fn take_cut(&mut self) -> Option<usize> {
        let cut = self.last_cut.take()?;
        self.pos -= cut;
        self.quote_opened_at = self.quote_opened_at.saturating_sub(cut);
        Some(cut)
    }

    /// At end of input: `Some(offset)` of the quote that opened a field never closed.
    pub fn unclosed_quote(&self, buf: &[u8]) -> Option<usize> {
        // A lone quote as the very last byte closes the field.
        let closed_at_end = self.pos + 1 == buf.len() && buf[self.pos] == b'"';
        (self.in_quotes && !closed_at_end).then_some(self.quote_opened_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(input: &[u8]) -> Option<usize> {
        let mut s = Splitter::new(b',');
        s.scan(input);
        s.take_cut()
    }

    #[test]
    fn cuts_after_last_newline_outside_quotes() {
        assert_eq!(cuts(b"a,b\nc,d\ne,"), Some(8));
        assert_eq!(cuts(b"a,\"x\ny\"\nc,\"open\n"), Some(8));
    }

    #[test]
    fn literal_quote_in_unquoted_field_does_not_open_a_field() {
        assert_eq!(cuts(b"tv,55\" screen,x\nb,c\n"), Some(20));
    }

    #[test]
    fn escaped_quotes_stay_inside_the_field() {
        assert_eq!(cuts(b"\"say \"\"hi\"\"\n\",1\nz"), Some(16));
    }

    #[test]
    fn quote_split_across_reads_is_resolved_later() {
        let mut s = Splitter::new(b',');
        let mut buf = b"\"a\"".to_vec();
        s.scan(&buf);
        assert_eq!(s.take_cut(), None);
        buf.extend_from_slice(b"\"\nb\",c\nd");
        s.scan(&buf);
        assert_eq!(s.take_cut(), Some(10));
    }

    #[test]
    fn reports_the_quote_never_closed() {
        let buf = b"a,b\n1,\"never\n2,3\n";
        let mut s = Splitter::new(b',');
        s.scan(buf);
        assert_eq!(s.unclosed_quote(buf), Some(6));
        let ok = b"a,\"b\"";
        let mut s = Splitter::new(b',');
        s.scan(ok);
        assert_eq!(s.unclosed_quote(ok), None);
    }
}
