//! Translation environment shared by Wasmtime's compilers.

/// The first bytes of every WebAssembly module.
pub const WASM_MAGIC: &[u8] = b"\0asm";

/// Index of a function in a module.
pub type FuncIndex = entity::EntityRef;

/// Limits the compiler bakes into code.
#[derive(Debug, Clone)]
pub struct Tunables {
    pub static_memory_bound: u64,
}

impl Default for Tunables {
    fn default() -> Tunables {
        Tunables {
            static_memory_bound: 0x1_0000,
        }
    }
}
