//! `csv`: RFC 4180 (CRLF line ends, fields quoted when they need it), a
//! header row, then one row per annotation:
//! `article,start,end,label,quote,note`.

use std::io::{self, Write};

use super::{Article, Exporter};

pub struct CsvExporter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvExporter<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        out.write_record(["article", "start", "end", "label", "quote", "note"])?;
        Ok(CsvExporter { out })
    }
}

impl<W: Write + Send> Exporter for CsvExporter<W> {
    fn article(&mut self, a: &Article) -> io::Result<()> {
        for x in a.anns {
            let (s, e) = a.chars(x);
            self.out.write_record([
                a.rel,
                &s.to_string(),
                &e.to_string(),
                &x.label,
                a.text.slice(x.range()),
                x.note.as_deref().unwrap_or(""),
            ])?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<String>> {
        self.out.flush()?;
        Ok(vec![])
    }
}
