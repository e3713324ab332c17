//! Access tokens: `sf_<id>_<secret>`, random from the operating system, stored as the SHA-256
//! of the secret so a copy of the database gives no one a working token.

use sha2::{Digest, Sha256};

use super::StoreError;

/// A freshly made token: its public id, its secret, and the hash to store.
#[derive(Debug)]
pub struct Minted {
    /// The public id.
    pub id: String,
    /// The whole token to hand over once: `sf_<id>_<secret>`.
    pub bearer: String,
    /// SHA-256 of the secret, hex.
    pub secret_sha256: String,
}

/// Makes a new random token.
pub fn mint() -> Result<Minted, StoreError> {
    let mut id = [0u8; 8];
    let mut secret = [0u8; 32];
    getrandom::fill(&mut id)
        .and_then(|()| getrandom::fill(&mut secret))
        .map_err(|e| StoreError::Invalid(format!("No randomness available for a token: {e}")))?;
    let id = hex(&id);
    let secret = hex(&secret);
    Ok(Minted {
        bearer: format!("sf_{id}_{secret}"),
        secret_sha256: sha256_hex(secret.as_bytes()),
        id,
    })
}

/// Splits a bearer token into its id and secret, if it has the right shape.
pub fn split(bearer: &str) -> Option<(&str, &str)> {
    let rest = bearer.strip_prefix("sf_")?;
    let (id, secret) = rest.split_once('_')?;
    let hexish = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hexish(id, 16) && hexish(secret, 64)).then_some((id, secret))
}

/// SHA-256 of some bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Compares two strings in time that depends only on their length.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_split_back_and_hash_their_secret() -> Result<(), StoreError> {
        let minted = mint()?;
        let (id, secret) = split(&minted.bearer).ok_or(StoreError::Invalid("shape".into()))?;
        assert_eq!(id, minted.id);
        assert_eq!(sha256_hex(secret.as_bytes()), minted.secret_sha256);
        assert!(!minted.secret_sha256.contains(secret));
        assert_ne!(mint()?.bearer, minted.bearer);
        Ok(())
    }

    #[test]
    fn malformed_tokens_do_not_split() {
        for bad in [
            "",
            "sf_",
            "sf_abc_def",
            "xx_0123456789abcdef_00",
            "sf_0123456789abcdeg_",
        ] {
            assert!(split(bad).is_none(), "{bad}");
        }
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
