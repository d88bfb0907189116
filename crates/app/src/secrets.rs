//! Passwords and tokens: argon2id hashing off the async threads, and random tokens of which
//! stores only ever see the SHA-256.

use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use canopy_storage::TokenHash;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

/// argon2id cost. The default is OWASP's recommendation (19 MiB, 2 passes, 1 lane);
/// tests use [`HashCost::FAST`] so that hundreds of logins take milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl Default for HashCost {
    fn default() -> Self {
        Self { memory_kib: 19 * 1024, passes: 2 }
    }
}

impl HashCost {
    /// The cheapest argon2id allows: for tests only.
    pub const FAST: HashCost = HashCost { memory_kib: 8, passes: 1 };
}

#[derive(Clone)]
pub struct Passwords {
    argon2: Arc<Argon2<'static>>,
    /// A hash of nothing anyone knows, verified against when an e-mail is unknown, so that a
    /// login takes as long whether or not the account exists.
    decoy: Arc<OnceLock<String>>,
    /// How many verifications ran: what the cache of verified credentials saves is observable.
    verifications: Arc<AtomicU64>,
}

impl Passwords {
    pub fn new(cost: HashCost) -> Self {
        let params = Params::new(cost.memory_kib, cost.passes, 1, None).expect("valid argon2 parameters");
        let argon2 = Arc::new(Argon2::new(Algorithm::Argon2id, Version::V0x13, params));
        Self { argon2, decoy: Arc::default(), verifications: Arc::default() }
    }

    /// How many verifications ran so far.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// The PHC string of `password` with a fresh salt.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let argon2 = self.argon2.clone();
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        blocking(move || {
            let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
            let hash = argon2.hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
            Ok(hash.to_string())
        })
        .await
    }

    /// Whether `password` matches `hash`; with no hash (unknown account, not activated), a decoy
    /// is checked instead and the answer is no.
    pub async fn verify(&self, hash: Option<String>, password: String) -> Result<bool, AppError> {
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let known = hash.is_some();
        let hash = match hash {
            Some(hash) => hash,
            None => match self.decoy.get() {
                Some(decoy) => decoy.clone(),
                None => {
                    let decoy = self.hash(random_token().0).await?;
                    self.decoy.get_or_init(|| decoy).clone()
                }
            },
        };
        let argon2 = self.argon2.clone();
        let matches = blocking(move || {
            let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
            Ok(argon2.verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await?;
        Ok(known && matches)
    }
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> anyhow::Result<T> + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(e.into()))?.map_err(AppError::Internal)
}

/// A new token for a client (256 random bits, base64url: 43 characters) and its hash.
pub fn random_token() -> (String, TokenHash) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_of(&token);
    (token, hash)
}

/// The hash a token is stored under; `None` for text that no token of ours can be.
pub fn token_hash(token: &str) -> Option<TokenHash> {
    let well_formed = token.len() == 43 && URL_SAFE_NO_PAD.decode(token).is_ok_and(|bytes| bytes.len() == 32);
    well_formed.then(|| hash_of(token))
}

fn hash_of(token: &str) -> TokenHash {
    TokenHash(Sha256::digest(token.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let passwords = Passwords::new(HashCost::FAST);
        let hash = passwords.hash("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("correct horse"));
        assert!(passwords.verify(Some(hash.clone()), "correct horse battery".into()).await.unwrap());
        assert!(!passwords.verify(Some(hash.clone()), "correct horse batterY".into()).await.unwrap());
        let again = passwords.hash("correct horse battery".into()).await.unwrap();
        assert_ne!(hash, again, "every hash has its own salt");
        assert!(!passwords.verify(None, "anything".into()).await.unwrap());
    }

    #[test]
    fn tokens_are_256_random_bits_and_only_well_formed_ones_have_a_hash() {
        let (token, hash) = random_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), 32);
        assert_eq!(token_hash(&token), Some(hash));
        assert_ne!(random_token().0, token);
        for bad in ["", "short", &format!("{token}x"), &token.replace(|c: char| c.is_alphanumeric(), "!")] {
            assert_eq!(token_hash(bad), None, "{bad}");
        }
    }
}
