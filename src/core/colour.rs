//! Label colours: parsed from the schema, measured (WCAG contrast, OKLab
//! distance) and chosen for a new label as far as can be from every colour
//! already in use, among colours dark text stays readable on.

/// An sRGB colour, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The least WCAG contrast between a label's colour and the text on it.
pub const MIN_CONTRAST: f64 = 4.5;

impl Rgb {
    /// `#rrggbb`, or one of the names the interface understands.
    pub fn parse(spec: &str) -> Option<Rgb> {
        let s = spec.trim();
        if let Some(hex) = s.strip_prefix('#')
            && hex.len() == 6
            && hex.is_ascii()
        {
            let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            return Some(Rgb(c(0)?, c(2)?, c(4)?));
        }
        // The 16 terminal colours, as xterm draws them.
        Some(
            match s.to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
                "black" => Rgb(0, 0, 0),
                "red" => Rgb(205, 0, 0),
                "green" => Rgb(0, 205, 0),
                "yellow" => Rgb(205, 205, 0),
                "blue" => Rgb(0, 0, 238),
                "magenta" => Rgb(205, 0, 205),
                "cyan" => Rgb(0, 205, 205),
                "gray" | "grey" => Rgb(229, 229, 229),
                "darkgray" | "darkgrey" => Rgb(127, 127, 127),
                "lightred" => Rgb(255, 0, 0),
                "lightgreen" => Rgb(0, 255, 0),
                "lightyellow" => Rgb(255, 255, 0),
                "lightblue" => Rgb(92, 92, 255),
                "lightmagenta" => Rgb(255, 0, 255),
                "lightcyan" => Rgb(0, 255, 255),
                "white" => Rgb(255, 255, 255),
                _ => return None,
            },
        )
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// WCAG contrast ratio with `other` (1 to 21).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Black or white, whichever reads better on this colour.
    pub fn text_on(self) -> Rgb {
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        if self.contrast(black) >= self.contrast(white) {
            black
        } else {
            white
        }
    }

    /// OKLab coordinates, where distance follows perceived difference.
    pub fn oklab(self) -> [f64; 3] {
        let (r, g, b) = (linear(self.0), linear(self.1), linear(self.2));
        let l = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b).cbrt();
        let m = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b).cbrt();
        let s = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b).cbrt();
        [
            0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
            1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
            0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s,
        ]
    }

    /// Perceived distance to `other` (OKLab, Euclidean).
    pub fn distance(self, other: Rgb) -> f64 {
        let (a, b) = (self.oklab(), other.oklab());
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    /// The sRGB colour of OKLCh (`l`, `c`, hue `h` in degrees), if in
    /// gamut.
    fn from_oklch(l: f64, c: f64, h: f64) -> Option<Rgb> {
        let (a, b) = (c * h.to_radians().cos(), c * h.to_radians().sin());
        let l_ = (l + 0.3963377774 * a + 0.2158037573 * b).powi(3);
        let m_ = (l - 0.1055613458 * a - 0.0638541728 * b).powi(3);
        let s_ = (l - 0.0894841775 * a - 1.2914855480 * b).powi(3);
        let r = 4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_;
        let g = -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_;
        let bl = -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_;
        let enc = |x: f64| -> Option<u8> {
            if !(-1e-9..=1.0 + 1e-9).contains(&x) {
                return None;
            }
            let x = x.clamp(0.0, 1.0);
            let v = if x <= 0.0031308 {
                12.92 * x
            } else {
                1.055 * x.powf(1.0 / 2.4) - 0.055
            };
            Some((v * 255.0).round() as u8)
        };
        Some(Rgb(enc(r)?, enc(g)?, enc(bl)?))
    }
}

/// An sRGB channel as linear light (0 to 1).
fn linear(c: u8) -> f64 {
    let c = c as f64 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// A colour for a new label: of light, saturated colours black text reads
/// well on (contrast at least `MIN_CONTRAST`), the one farthest (OKLab)
/// from every colour in `taken`.
pub fn pick(taken: &[Rgb]) -> Rgb {
    let black = Rgb(0, 0, 0);
    let mut best = (f64::MIN, Rgb(229, 192, 123));
    for l in [0.78, 0.86, 0.70] {
        for c in [0.14, 0.10, 0.06] {
            for step in 0..72 {
                let Some(rgb) = Rgb::from_oklch(l, c, step as f64 * 5.0) else {
                    continue;
                };
                if rgb.contrast(black) < MIN_CONTRAST {
                    continue;
                }
                let d = taken
                    .iter()
                    .map(|t| t.distance(rgb))
                    .fold(f64::INFINITY, f64::min);
                if d > best.0 {
                    best = (d, rgb);
                }
            }
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_and_distance_are_the_standard_ones() {
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert!((Rgb(118, 118, 118).contrast(white) - 4.54).abs() < 0.01);
        assert_eq!(Rgb::parse("#e5c07b"), Some(Rgb(0xe5, 0xc0, 0x7b)));
        assert_eq!(Rgb::parse("light-blue"), Some(Rgb(92, 92, 255)));
        assert!(Rgb::parse("#12").is_none());
        assert_eq!(Rgb(0, 0, 238).text_on(), white);
        assert!(white.distance(black) > 0.99);
    }

    #[test]
    fn new_colours_keep_apart_and_readable() {
        let mut taken: Vec<Rgb> = vec![];
        for _ in 0..12 {
            let c = pick(&taken);
            assert!(c.contrast(Rgb(0, 0, 0)) >= MIN_CONTRAST, "{}", c.hex());
            let nearest = taken
                .iter()
                .map(|t| t.distance(c))
                .fold(f64::INFINITY, f64::min);
            // Twelve colours fit with room: none within a just-noticeable
            // step of another.
            assert!(nearest > 0.05, "{} is {nearest} from one taken", c.hex());
            taken.push(c);
        }
    }
}

#[cfg(test)]
mod schema_tests {
    use super::*;
    use crate::core::labels::Schema;

    /// Every colour the bundled schema gives, and every one gloss picks
    /// for labels created in the picker, has its text at 4.5:1 or more.
    #[test]
    fn label_colours_keep_text_readable() {
        let mut s = Schema::default_schema();
        for l in &s.labels {
            let c = Rgb::parse(&l.color).expect("a colour");
            let ratio = c.contrast(c.text_on());
            assert!(ratio >= MIN_CONTRAST, "{} {}: {ratio:.2}", l.name, l.color);
        }
        for i in 0..8 {
            let l = s.add(&format!("NEW{i}")).clone();
            let c = Rgb::parse(&l.color).unwrap();
            assert!(c.contrast(Rgb(0, 0, 0)) >= MIN_CONTRAST, "{}", l.color);
            let nearest = s.labels[..s.labels.len() - 1]
                .iter()
                .filter_map(|o| Rgb::parse(&o.color))
                .map(|o| o.distance(c))
                .fold(f64::INFINITY, f64::min);
            assert!(
                nearest > 0.04,
                "{} is {nearest:.3} from another label",
                l.color
            );
        }
    }
}
