//! `csv`: RFC 4180 (CRLF line ends, fields quoted when they need it), a
//! header row, then one row per record:
//! `article,start,end,label,quote,note,kind,id,from,to,group`.
//!
//! The first six columns are the annotation table a spreadsheet wants
//! (and what gloss wrote before relations existed: a reader by position
//! still finds them there). `kind` says what a row is: `span` (an
//! annotation, with its `id`), `relation` (`label` its type, `from` and
//! `to` the ids of its ends, no offsets) or `document` (a document label:
//! `group` and `label`, no offsets). So `df[df.kind == "span"]` is the
//! annotations and a join on `id` = `from` follows the relations.

use std::io::{self, Write};

use super::{Article, Exporter};

pub const HEADER: [&str; 11] = [
    "article", "start", "end", "label", "quote", "note", "kind", "id", "from", "to", "group",
];

pub struct CsvExporter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvExporter<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        out.write_record(HEADER)?;
        Ok(CsvExporter { out })
    }
}

impl<W: Write + Send> Exporter for CsvExporter<W> {
    fn article(&mut self, a: &Article) -> io::Result<()> {
        for x in a.anns {
            let (s, e) = a.offsets(x);
            self.out.write_record([
                a.rel,
                &s.to_string(),
                &e.to_string(),
                &x.label,
                a.text.slice(x.range()),
                x.note.as_deref().unwrap_or(""),
                "span",
                &x.id,
                "",
                "",
                "",
            ])?;
        }
        for r in a.relations {
            self.out.write_record([
                a.rel,
                "",
                "",
                &r.label,
                "",
                r.note.as_deref().unwrap_or(""),
                "relation",
                &r.id,
                &r.from,
                &r.to,
                "",
            ])?;
        }
        for l in a.doc_labels {
            self.out.write_record([
                a.rel,
                "",
                "",
                &l.label,
                "",
                l.note.as_deref().unwrap_or(""),
                "document",
                &l.id,
                "",
                "",
                &l.group,
            ])?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<String>> {
        self.out.flush()?;
        Ok(vec![])
    }
}
