//! Works out a file's text encoding from its first bytes and turns the byte stream into UTF-8.

use std::io::Read;

use std::sync::{Arc, OnceLock};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

/// What the first bytes say about the text encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// UTF-8 (or plain ASCII); invalid bytes later on are repaired per cell as Windows-1252.
    Utf8 {
        bom: bool,
    },
    Utf16Le {
        bom: bool,
    },
    Utf16Be {
        bom: bool,
    },
    Windows1252,
}

impl Detected {
    /// How the report names it.
    pub fn label(self) -> &'static str {
        match self {
            Detected::Utf8 { bom: false } => "UTF-8",
            Detected::Utf8 { bom: true } => "UTF-8 (BOM)",
            Detected::Utf16Le { bom: true } => "UTF-16LE (BOM)",
            Detected::Utf16Le { bom: false } => "UTF-16LE",
            Detected::Utf16Be { bom: true } => "UTF-16BE (BOM)",
            Detected::Utf16Be { bom: false } => "UTF-16BE",
            Detected::Windows1252 => "Windows-1252",
        }
    }

    fn transcoder(self) -> Option<&'static Encoding> {
        match self {
            Detected::Utf8 { .. } => None,
            Detected::Utf16Le { .. } => Some(UTF_16LE),
            Detected::Utf16Be { .. } => Some(UTF_16BE),
            Detected::Windows1252 => Some(WINDOWS_1252),
        }
    }
}

/// Why a file is not text we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText(pub String);

/// Decides the encoding from a sample of the first bytes of the file.
pub fn detect(sample: &[u8]) -> Result<Detected, NotText> {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(Detected::Utf8 { bom: true });
    }
    if sample.starts_with(&[0xFF, 0xFE]) {
        return Ok(Detected::Utf16Le { bom: true });
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return Ok(Detected::Utf16Be { bom: true });
    }
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls * 4 > sample.len() {
        // UTF-16 text of mostly ASCII has a zero in (nearly) every other byte.
        let pairs = sample.len() / 2;
        let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        if odd * 10 >= pairs * 9 && even * 10 <= pairs {
            return Ok(Detected::Utf16Le { bom: false });
        }
        if even * 10 >= pairs * 9 && odd * 10 <= pairs {
            return Ok(Detected::Utf16Be { bom: false });
        }
    }
    if looks_binary(sample, nuls) {
        return Err(NotText(binary_reason(sample)));
    }
    let valid_up_to = match std::str::from_utf8(sample) {
        Ok(_) => return Ok(Detected::Utf8 { bom: false }),
        Err(e) if e.error_len().is_none() => return Ok(Detected::Utf8 { bom: false }), // cut mid-character
        Err(e) => e.valid_up_to(),
    };
    // Invalid UTF-8. If real multi-byte UTF-8 characters appear too, the file is UTF-8 with a
    // few stray Windows-1252 bytes (an Excel re-save of some rows); otherwise it is Windows-1252.
    let has_utf8_multibyte =
        sample[..valid_up_to].iter().any(|&b| b >= 0x80) || count_utf8_sequences(sample) > 0;
    if has_utf8_multibyte {
        Ok(Detected::Utf8 { bom: false })
    } else {
        Ok(Detected::Windows1252)
    }
}

fn count_utf8_sequences(bytes: &[u8]) -> usize {
    bytes
        .utf8_chunks()
        .map(|chunk| chunk.valid().chars().filter(|c| !c.is_ascii()).count())
        .sum()
}

/// Control bytes that no CSV export holds (tab, CR, LF and NUL inside values aside).
fn looks_binary(sample: &[u8], nuls: usize) -> bool {
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A) && b != 0)
        .count();
    (controls + nuls) * 10 > sample.len()
}

fn binary_reason(sample: &[u8]) -> String {
    const MAGIC: &[(&[u8], &str)] = &[
        (
            b"PK\x03\x04",
            "it is a ZIP archive (an XLSX workbook is one too)",
        ),
        (
            b"\xD0\xCF\x11\xE0",
            "it is an OLE2 file (an old .xls workbook or an encrypted .xlsx)",
        ),
        (b"%PDF", "it is a PDF document"),
        (b"\x1F\x8B", "it is gzip-compressed"),
        (b"\x89PNG", "it is a PNG image"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| sample.starts_with(magic))
        .map_or_else(
            || "it holds binary control bytes, not text".to_owned(),
            |(_, what)| (*what).to_owned(),
        )
}

/// The UTF-8 byte stream of `raw`, whose first bytes were detected as `detected`. A UTF-16
/// stream that ends with an odd byte has it set aside in `stray` instead of decoded into a
/// replacement character (which would read as one more, ragged, record).
pub fn utf8_stream(
    raw: Box<dyn Read + Send>,
    detected: Detected,
    stray: Arc<OnceLock<u8>>,
) -> Box<dyn Read + Send> {
    let raw: Box<dyn Read + Send> = match detected {
        Detected::Utf16Le { .. } | Detected::Utf16Be { .. } => Box::new(EvenBytes {
            inner: raw,
            carry: None,
            passed: 0,
            stray,
        }),
        _ => raw,
    };
    match detected.transcoder() {
        None => {
            if detected == (Detected::Utf8 { bom: true }) {
                Box::new(SkipPrefix {
                    inner: raw,
                    left: 3,
                })
            } else {
                raw
            }
        }
        Some(encoding) => Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .bom_override(true)
                .build(raw),
        ),
    }
}

/// Passes on an even number of bytes; an odd last byte goes to `stray`. It holds one byte back
/// at all times, since only the end of the stream tells whether that byte ends a pair.
struct EvenBytes<R> {
    inner: R,
    carry: Option<u8>,
    passed: u64,
    stray: Arc<OnceLock<u8>>,
}

impl<R: Read> Read for EvenBytes<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let mut n = 0;
            if let Some(byte) = self.carry.take() {
                buf[0] = byte;
                n = 1;
            }
            let got = if n < buf.len() {
                self.inner.read(&mut buf[n..])?
            } else {
                // One byte wanted and one held: pass it on only if another follows.
                let mut next = [0u8; 1];
                let got = self.inner.read(&mut next)?;
                if got == 1 {
                    self.carry = Some(next[0]);
                    self.passed += 1;
                    return Ok(1);
                }
                0
            };
            if got == 0 {
                if n == 1 {
                    if self.passed % 2 == 1 {
                        self.passed += 1;
                        return Ok(1);
                    }
                    let _ = self.stray.set(buf[0]);
                }
                return Ok(0);
            }
            n += got;
            self.carry = Some(buf[n - 1]);
            n -= 1;
            if n > 0 {
                self.passed += n as u64;
                return Ok(n);
            }
        }
    }
}

/// Drops the first `left` bytes (a BOM already identified).
struct SkipPrefix<R> {
    inner: R,
    left: usize,
}

impl<R: Read> Read for SkipPrefix<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.left > 0 {
            let mut skip = [0u8; 4];
            let n = self.inner.read(&mut skip[..self.left])?;
            if n == 0 {
                return Ok(0);
            }
            self.left -= n;
        }
        self.inner.read(buf)
    }
}

/// Repairs a value that is not valid UTF-8 by reading its bytes as Windows-1252.
pub fn repair_cell(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(chunk.invalid());
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> String {
        let detected = detect(bytes).unwrap();
        let mut out = String::new();
        utf8_stream(
            Box::new(std::io::Cursor::new(bytes.to_vec())),
            detected,
            Arc::default(),
        )
        .read_to_string(&mut out)
        .unwrap();
        out
    }

    #[test]
    fn boms_are_recognised_and_removed() {
        assert_eq!(
            detect(b"\xEF\xBB\xBFa,b").unwrap(),
            Detected::Utf8 { bom: true }
        );
        assert_eq!(decode_all(b"\xEF\xBB\xBFa,b"), "a,b");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a\tb".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(detect(&le).unwrap(), Detected::Utf16Le { bom: true });
        assert_eq!(decode_all(&le), "a\tb");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("é,x".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_all(&be), "é,x");
    }

    #[test]
    fn utf16_without_bom_is_recognised_by_its_zero_bytes() {
        let le: Vec<u8> = "Email,Name\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect(&le).unwrap(), Detected::Utf16Le { bom: false });
    }

    #[test]
    fn an_odd_last_byte_of_utf16_is_set_aside() {
        let mut le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,b\n1,2\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        le.push(0x41);
        let stray = Arc::new(OnceLock::new());
        let mut out = String::new();
        utf8_stream(
            Box::new(std::io::Cursor::new(le)),
            Detected::Utf16Le { bom: true },
            stray.clone(),
        )
        .read_to_string(&mut out)
        .unwrap();
        assert_eq!(out, "a,b\n1,2\n");
        assert_eq!(stray.get(), Some(&0x41));
    }

    #[test]
    fn windows_1252_is_decoded() {
        let bytes = b"name\nJos\xE9 M\xFCller\n";
        assert_eq!(detect(bytes).unwrap(), Detected::Windows1252);
        assert_eq!(decode_all(bytes), "name\nJosé Müller\n");
    }

    #[test]
    fn mostly_utf8_with_stray_bytes_stays_utf8() {
        let bytes = "name\nJosé\n"
            .bytes()
            .chain(*b"M\xFCller\n")
            .collect::<Vec<u8>>();
        assert_eq!(detect(&bytes).unwrap(), Detected::Utf8 { bom: false });
        assert_eq!(repair_cell(b"M\xFCller"), "Müller");
        assert_eq!(repair_cell("Zoë".as_bytes()), "Zoë");
    }

    #[test]
    fn binary_files_are_refused_with_a_reason() {
        let err =
            detect(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00\x21\x00\x01\x02\x03").unwrap_err();
        assert!(err.0.contains("ZIP"), "{err:?}");
    }
}
