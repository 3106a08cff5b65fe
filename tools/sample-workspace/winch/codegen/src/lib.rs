//! Winch, Wasmtime's baseline compiler.

/// The first ISA Winch targets.
pub fn isa_name() -> &'static str {
    codegen::ISAS[0]
}

/// Bound used for static memories.
pub fn memory_bound() -> u64 {
    wasmtime_environ::Tunables::default().static_memory_bound
}
