//! A minimal Office theme part. docx-rs writes none, and some readers (and `openxml-audit`)
//! expect one; the colours and fonts match the document's own styles.

/// Where the theme lives in the package.
pub(crate) const PART: &str = "word/theme/theme1.xml";
/// Its relationship target, relative to `word/document.xml`.
pub(crate) const TARGET: &str = "theme/theme1.xml";
/// Its content type.
pub(crate) const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.theme+xml";
/// Its relationship type.
pub(crate) const REL_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";

/// The theme itself.
pub(crate) const XML: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Safeguarding">"#,
    r#"<a:themeElements><a:clrScheme name="Safeguarding">"#,
    r#"<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>"#,
    r#"<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>"#,
    r#"<a:dk2><a:srgbClr val="0B0C0C"/></a:dk2><a:lt2><a:srgbClr val="F3F2F1"/></a:lt2>"#,
    r#"<a:accent1><a:srgbClr val="1D70B8"/></a:accent1><a:accent2><a:srgbClr val="00703C"/></a:accent2>"#,
    r#"<a:accent3><a:srgbClr val="D4351C"/></a:accent3><a:accent4><a:srgbClr val="4C2C92"/></a:accent4>"#,
    r#"<a:accent5><a:srgbClr val="F47738"/></a:accent5><a:accent6><a:srgbClr val="505A5F"/></a:accent6>"#,
    r#"<a:hlink><a:srgbClr val="1D70B8"/></a:hlink><a:folHlink><a:srgbClr val="4C2C92"/></a:folHlink>"#,
    r#"</a:clrScheme><a:fontScheme name="Safeguarding">"#,
    r#"<a:majorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>"#,
    r#"<a:minorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>"#,
    r#"</a:fontScheme><a:fmtScheme name="Safeguarding"><a:fillStyleLst>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"</a:fillStyleLst><a:lnStyleLst>"#,
    r#"<a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
    r#"<a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
    r#"<a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
    r#"</a:lnStyleLst><a:effectStyleLst>"#,
    r#"<a:effectStyle><a:effectLst/></a:effectStyle>"#,
    r#"<a:effectStyle><a:effectLst/></a:effectStyle>"#,
    r#"<a:effectStyle><a:effectLst/></a:effectStyle>"#,
    r#"</a:effectStyleLst><a:bgFillStyleLst>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"#,
    r#"<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#
);
