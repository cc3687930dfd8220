//! Deterministic identifiers: UUID-shaped ids and recognisably fake secrets from a seeded RNG.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The provider's id source. Same seed, same sequence of ids.
#[derive(Clone, Debug)]
pub struct IdGen {
    rng: ChaCha8Rng,
}

impl IdGen {
    pub fn new(seed: u64) -> Self {
        Self { rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// A version-4-shaped UUID string, the shape of every Railway id.
    pub fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.rng.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex(&b);
        format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
    }

    /// A token secret. Railway's secrets are opaque; ours say what they are, so a leaked one
    /// can never be mistaken for a real credential.
    pub fn secret(&mut self) -> String {
        let mut b = [0u8; 16];
        self.rng.fill_bytes(&mut b);
        format!("firedrill-fake-{}", hex(&b))
    }

    /// A short hex string for trace ids and cron minutes.
    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_ids() {
        let (mut a, mut b) = (IdGen::new(7), IdGen::new(7));
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.secret(), b.secret());
        assert_ne!(IdGen::new(8).uuid(), IdGen::new(7).uuid());
    }

    #[test]
    fn ids_are_uuid_shaped_and_secrets_fake() {
        let mut g = IdGen::new(1);
        let id = g.uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(g.secret().starts_with("firedrill-fake-"));
    }
}
