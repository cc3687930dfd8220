//! Out-of-band operations: what the team does in Railway's dashboard, outside the public API
//! (revoking and rotating tokens). Like support's restore of a soft-deleted volume, they are
//! events of the admin channel.

use super::{Action, Cause, Change, State};
use crate::error::ProviderError;
use crate::model::TokenKind;
use crate::ops::ResourceKind;

impl State {
    /// The team revokes a token in the dashboard (out of band): its secret stops working.
    /// Tokens it minted live on, as on Railway.
    pub fn revoke_token(&mut self, name: &str) -> Result<Vec<Change>, ProviderError> {
        let id =
            self.tokens.values().find(|t| t.name == name).map(|t| t.id.clone()).ok_or_else(|| ProviderError::not_found("Token", name))?;
        let changes = self.delete_token(&id);
        for c in &changes {
            self.push(Cause::Admin, c.clone());
        }
        Ok(changes)
    }

    /// The team rotates a token (out of band): the same token with a new secret; the old secret
    /// stops working. Returns the new secret.
    pub fn rotate_token(&mut self, name: &str) -> Result<String, ProviderError> {
        let secret = self.ids.secret();
        let t = self.tokens.values_mut().find(|t| t.name == name).ok_or_else(|| ProviderError::not_found("Token", name))?;
        let old = std::mem::replace(&mut t.secret, secret.clone());
        let (id, name) = (t.id.clone(), t.name.clone());
        let kind = if matches!(t.kind, TokenKind::Project { .. }) { ResourceKind::ProjectToken } else { ResourceKind::ApiToken };
        self.token_by_secret.remove(&old);
        self.token_by_secret.insert(secret.clone(), id.clone());
        self.push(Cause::Admin, Change::new(Action::Updated, kind, &id, name).detail("rotated: the old secret no longer works"));
        Ok(secret)
    }
}
