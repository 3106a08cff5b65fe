//! Densely numbered entity references.

/// A reference to an entity, stored as a dense index.
pub type EntityRef = u32;

/// Turns an index into an entity reference.
pub fn entity(index: usize) -> EntityRef {
    index as EntityRef
}
