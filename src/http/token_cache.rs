//! Tokens recently looked up, kept for a few seconds so a busy client does not cost a database
//! read per request. A token revoked through this instance leaves the cache at once; one
//! revoked through another instance sharing the database stops working within [`TTL`].

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use crate::store::Token;
use crate::store::token::sha256_hex;

/// How long a looked-up token is trusted without asking the database again.
pub const TTL: Duration = Duration::from_secs(5);

/// The most tokens kept; past it the cache starts again empty.
const MAX_ENTRIES: usize = 10_000;

/// Recently looked-up tokens, by the SHA-256 of the bearer (never the bearer itself).
#[derive(Debug, Default)]
pub struct TokenCache {
    entries: RwLock<HashMap<String, (Token, Instant)>>,
}

impl TokenCache {
    /// The key of a bearer token.
    pub fn key(bearer: &str) -> String {
        sha256_hex(bearer.as_bytes())
    }

    /// The token for `key`, when looked up less than [`TTL`] ago.
    pub fn get(&self, key: &str) -> Option<Token> {
        let entries = self.entries.read().ok()?;
        let (token, at) = entries.get(key)?;
        (at.elapsed() < TTL).then(|| token.clone())
    }

    /// Remembers a token just looked up.
    pub fn put(&self, key: String, token: Token) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (token, Instant::now()));
        }
    }

    /// Forgets a token (by its public id), when it is revoked here.
    pub fn forget(&self, id: &str) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, (token, _)| token.id != id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Role;

    fn token(id: &str) -> Token {
        Token {
            id: id.to_owned(),
            role: Role::Partnership,
            agency: None,
            created_at: String::new(),
            created_by: String::new(),
            expires_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn tokens_are_kept_by_hash_and_forgotten_on_revocation() {
        let cache = TokenCache::default();
        let key = TokenCache::key("sf_abc_secret");
        assert!(!key.contains("secret"));
        assert_eq!(cache.get(&key), None);
        cache.put(key.clone(), token("abc"));
        assert_eq!(cache.get(&key).map(|t| t.id), Some("abc".to_owned()));
        cache.forget("abc");
        assert_eq!(cache.get(&key), None);
    }
}
