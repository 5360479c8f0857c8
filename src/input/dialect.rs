//! Guesses the field delimiter from the first records: the one that splits them most consistently.

const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
const SAMPLE_RECORDS: usize = 50;

/// Human name of a delimiter, for reports.
pub fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b',' => "comma".into(),
        b';' => "semicolon".into(),
        b'\t' => "tab".into(),
        b'|' => "pipe".into(),
        other => format!("{:?}", other as char),
    }
}

/// Picks the candidate whose records most often have the header's number of fields (> 1).
pub fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut best = (b',', 0usize, 0usize); // (delimiter, consistent records, header width)
    for delimiter in CANDIDATES {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample);
        let mut widths = Vec::new();
        let mut record = csv::ByteRecord::new();
        while widths.len() <= SAMPLE_RECORDS {
            match reader.read_byte_record(&mut record) {
                Ok(true) => widths.push(record.len()),
                _ => break,
            }
        }
        // The sample may end mid-record: ignore the last one unless it is the only one.
        if widths.len() > 1 {
            widths.pop();
        }
        let Some(&header_width) = widths.first() else {
            continue;
        };
        if header_width < 2 {
            continue;
        }
        let consistent = widths.iter().filter(|&&w| w == header_width).count();
        if (consistent, header_width) > (best.1, best.2) {
            best = (delimiter, consistent, header_width);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_consistent_delimiter() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(sniff_delimiter(b"Name;Amount\nAcme;1,5\nBeta;2,25\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a|b\n\"x,y\"|2\n"), b'|');
    }

    #[test]
    fn commas_inside_quotes_do_not_count() {
        assert_eq!(
            sniff_delimiter(b"note;id\n\"a, b, c\";1\n\"d, e\";2\n"),
            b';'
        );
    }

    #[test]
    fn single_column_falls_back_to_comma() {
        assert_eq!(sniff_delimiter(b"email\nx@y.z\n"), b',');
    }
}
