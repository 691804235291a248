//! The pure core of gloss: text, layout, annotations and their files. No
//! terminal crate is imported below this folder.

pub mod anchor;
pub mod annotation;
pub mod article;
pub mod colour;
pub mod commit;
pub mod consistency;
pub mod corpus;
pub mod decode;
pub mod display;
pub mod error;
pub mod filter;
pub mod fsio;
pub mod grep;
pub mod labels;
pub mod layout;
pub mod merge;
pub mod motion;
pub mod offset;
pub mod phrases;
pub mod places;
pub mod preserve;
pub mod records;
pub mod save;
pub mod search;
pub mod sentence;
pub mod sidecar;
pub mod stats;
pub mod suggestion;
pub mod sync;
pub mod text;
pub mod workspace;
pub mod writelock;
