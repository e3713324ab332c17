//! Packages for tests of uploads: a zip of given parts, and a zip bomb that stays small.

#![allow(dead_code)]

use std::io::{Cursor, Write};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// A zip holding the given parts, deflated.
pub fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    for (name, text) in parts {
        zip.start_file(*name, options).expect("start zip entry");
        zip.write_all(text.as_bytes()).expect("write zip entry");
    }
    zip.finish().expect("finish zip").into_inner()
}

/// A zip with one deflated entry of `gib` GiB of zeros, built from a 1 MiB block compressed once
/// and repeated, with a declared size of `declared` bytes (a hostile zip may lie).
pub fn zip_bomb(name: &str, gib: u32, declared: u32) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let block = vec![0u8; 1 << 20];
    let mut compress = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(4096);
    compress
        .compress_vec(&block, &mut chunk, FlushCompress::Full)
        .expect("compress a block");
    let mut data = Vec::new();
    for _ in 0..(gib * 1024) {
        data.extend_from_slice(&chunk);
    }
    // The final, empty stored block.
    data.extend_from_slice(&[0x03, 0x00]);

    let mut out = Vec::new();
    let header = |out: &mut Vec<u8>, central: bool| {
        let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
        let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
        u32le(out, if central { 0x0201_4b50 } else { 0x0403_4b50 });
        if central {
            u16le(out, 20);
        }
        for v in [20, 0, 8, 0, 0x21] {
            u16le(out, v);
        }
        u32le(out, 0); // CRC: never reached, the reader stops at its cap first.
        u32le(out, u32::try_from(data.len()).expect("compressed size"));
        u32le(out, declared);
        u16le(out, u16::try_from(name.len()).expect("name length"));
        u16le(out, 0);
        if central {
            for v in [0, 0, 0] {
                u16le(out, v);
            }
            u32le(out, 0);
            u32le(out, 0); // local header offset
        }
        out.extend_from_slice(name.as_bytes());
    };
    header(&mut out, false);
    out.extend_from_slice(&data);
    let central_start = out.len();
    header(&mut out, true);
    let central_size = out.len() - central_start;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&u32::try_from(central_size).expect("cd size").to_le_bytes());
    out.extend_from_slice(
        &u32::try_from(central_start)
            .expect("cd offset")
            .to_le_bytes(),
    );
    out.extend_from_slice(&[0, 0]);
    out
}

/// A `word/document.xml` whose text is ten to the ninth "lol"s by nested entities.
pub fn billion_laughs_document() -> String {
    let mut entities = String::from(r#"<!ENTITY lol0 "lol">"#);
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        entities += &format!(r#"<!ENTITY lol{i} "{refs}">"#);
    }
    format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#
    )
}
