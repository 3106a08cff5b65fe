//! Cranelift code generation library (a tiny stand-in).

include!(concat!(env!("OUT_DIR"), "/isas.rs"));

/// A compiled function's index.
pub fn func(index: usize) -> cranelift_entity::EntityRef {
    cranelift_entity::entity(index)
}

/// Disassembles Pulley bytecode.
pub fn disas_pulley(code: &[u8]) -> String {
    pulley_interpreter::disas(code)
}
