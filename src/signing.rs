//! The signing key: Ed25519, kept outside the database in the user's configuration directory
//! (owner-only), so that someone who can write the database but not the chair's account cannot
//! sign a rewritten chain. `JDP_KEY_DIR` names another directory (tests, or a key on removable
//! media). Other keys to trust (another laptop's public key) go one per line, in hex, in
//! `trusted-keys` in the same directory.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};

use crate::store::signatures::{SignedHead, stamp};
use crate::store::{Backend, StoreError};

const KEY_FILE: &str = "signing-key.ed25519";
const TRUSTED_FILE: &str = "trusted-keys";

pub fn key_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("JDP_KEY_DIR") {
        return PathBuf::from(d);
    }
    directories::ProjectDirs::from("uk", "jdp", "jdp")
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io { path: path.display().to_string(), source }
}

pub struct Signer {
    key: SigningKey,
}

impl Signer {
    /// Loads the key from `dir`, or makes one (owner-only) if there is none.
    pub fn load_or_create(dir: &Path) -> Result<Self, StoreError> {
        if let Some(s) = Self::load(dir)? {
            return Ok(s);
        }
        let path = dir.join(KEY_FILE);
        crate::platform::create_private_dir(dir).map_err(|e| io(dir, e))?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| io(&path, std::io::Error::other(e.to_string())))?;
        let key = SigningKey::from_bytes(&seed);
        let mut f = match crate::platform::create_new_private(&path) {
            Ok(f) => f,
            // Another jdp made it a moment ago: use that one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Self::load(dir)?.ok_or_else(|| io(&path, e));
            }
            Err(e) => return Err(io(&path, e)),
        };
        f.write_all(hex::encode(seed).as_bytes()).and_then(|()| f.sync_all()).map_err(|e| io(&path, e))?;
        Ok(Self { key })
    }

    /// Loads the key from `dir`, if there is one.
    pub fn load(dir: &Path) -> Result<Option<Self>, StoreError> {
        let path = dir.join(KEY_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path, e)),
        };
        let seed: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| io(&path, std::io::Error::other("not a jdp signing key")))?;
        Ok(Some(Self { key: SigningKey::from_bytes(&seed) }))
    }

    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Signs the store's current head and stores the signature in it.
    pub fn sign_head(&self, store: &mut (impl Backend + ?Sized), at: DateTime<Utc>) -> Result<SignedHead, StoreError> {
        let head = store.head()?;
        let signature = self.key.sign(&head.message());
        let signed = SignedHead {
            head,
            public_key: hex::encode(self.public_key().as_bytes()),
            signature: hex::encode(signature.to_bytes()),
            signed_at: stamp(at),
        };
        store.add_signature(&signed)?;
        Ok(signed)
    }
}

/// Every public key verify checks signatures for: this account's own key (if it has one) and
/// those listed in `trusted-keys`.
pub fn known_keys(dir: &Path) -> Result<Vec<VerifyingKey>, StoreError> {
    let mut keys: Vec<VerifyingKey> = Signer::load(dir)?.map(|s| s.public_key()).into_iter().collect();
    let path = dir.join(TRUSTED_FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let key = hex::decode(line)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .and_then(|b| VerifyingKey::from_bytes(&b).ok())
                .ok_or_else(|| io(&path, std::io::Error::other(format!("\"{line}\" is not an Ed25519 public key"))))?;
            keys.push(key);
        }
    }
    Ok(keys)
}
