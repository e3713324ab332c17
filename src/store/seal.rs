//! The audit log's seal: an HMAC-SHA256 of each entry's hash under a key kept outside the
//! database (a file the operator controls). Someone who can write to the database but not read
//! the key can edit an entry and recompute the hash chain, but cannot seal the result, so
//! `audit verify` finds it; an exported checkpoint (the head's number, hash and seal) kept
//! elsewhere shows entries cut off the end.

use std::io::Write;
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::StoreError;

/// The key the audit log is sealed with, and the last entry written before it was made: every
/// later entry must carry a seal. Both live in the key file, out of the database's reach, so
/// blanking seals in the database cannot pass for a log that was never sealed.
#[derive(Clone)]
pub struct AuditKey {
    bytes: Vec<u8>,
    sealed_after: i64,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

/// The fewest bytes a key may have.
const MIN_KEY_BYTES: usize = 32;

impl AuditKey {
    /// A key from its bytes (at least 32), sealing every entry after `sealed_after`.
    pub fn from_bytes(bytes: &[u8], sealed_after: i64) -> Result<Self, StoreError> {
        if bytes.len() < MIN_KEY_BYTES {
            return Err(StoreError::Invalid(format!(
                "The audit key must be at least {MIN_KEY_BYTES} bytes; this one has {}.",
                bytes.len()
            )));
        }
        Ok(AuditKey {
            bytes: bytes.to_vec(),
            sealed_after,
        })
    }

    /// The last entry written before the key was made (0 for a log sealed from its start).
    pub fn sealed_after(&self) -> i64 {
        self.sealed_after
    }

    /// Reads the key file (64 hex digits, then `sealed-after N`), or creates it with a new
    /// random key, readable by its owner only, when there is none: `head` is then the log's
    /// last entry so far, which stays unsealed.
    pub fn load_or_create(path: &Path, head: i64) -> Result<Self, StoreError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bad = || {
                    StoreError::Invalid(format!(
                        "The audit key file {} should hold 64 hexadecimal digits on its first line.",
                        path.display()
                    ))
                };
                let mut lines = text.lines();
                let bytes = lines
                    .next()
                    .and_then(|line| unhex(line.trim()))
                    .ok_or_else(bad)?;
                let sealed_after = lines
                    .find_map(|line| line.trim().strip_prefix("sealed-after "))
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(0);
                Self::from_bytes(&bytes, sealed_after)
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; MIN_KEY_BYTES];
                getrandom::fill(&mut bytes).map_err(|e| {
                    StoreError::Invalid(format!("No randomness available for the audit key: {e}"))
                })?;
                if let Some(folder) = path.parent()
                    && !folder.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(folder)?;
                }
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let mut file = options.open(path)?;
                writeln!(file, "{}", super::token::hex(&bytes))?;
                writeln!(file, "sealed-after {head}")?;
                file.sync_all()?;
                tracing::warn!(
                    key = %path.display(),
                    "created a new audit key: keep a copy of this file outside the database's reach"
                );
                Self::from_bytes(&bytes, head)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The seal of an entry's hash: HMAC-SHA256, lower-case hex.
    pub fn seal(&self, hash: &str) -> String {
        // A key of any length is accepted by HMAC, so this cannot fail.
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.bytes) {
            Ok(mac) => mac,
            Err(_) => return String::new(),
        };
        mac.update(hash.as_bytes());
        super::token::hex(&mac.finalize().into_bytes())
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_depend_on_the_key_and_the_hash() {
        let a = AuditKey::from_bytes(&[1u8; 32], 0).expect("a key");
        let b = AuditKey::from_bytes(&[2u8; 32], 0).expect("a key");
        assert_eq!(a.seal("abc").len(), 64);
        assert_eq!(a.seal("abc"), a.seal("abc"));
        assert_ne!(a.seal("abc"), a.seal("abd"));
        assert_ne!(a.seal("abc"), b.seal("abc"));
        assert!(AuditKey::from_bytes(&[0u8; 8], 0).is_err());
    }

    #[test]
    fn a_key_file_is_created_once_and_read_back() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("keys/audit.key");
        let first = AuditKey::load_or_create(&path, 7).expect("created");
        let again = AuditKey::load_or_create(&path, 99).expect("read");
        assert_eq!(first.seal("x"), again.seal("x"));
        assert_eq!(
            again.sealed_after(),
            7,
            "the file keeps where sealing began"
        );
        std::fs::write(&path, "not hex").expect("writes");
        assert!(AuditKey::load_or_create(&path, 0).is_err());
    }
}
