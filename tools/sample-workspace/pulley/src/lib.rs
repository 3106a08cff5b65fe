//! The Pulley portable bytecode interpreter.

/// Prints bytecode as hex (the stand-in disassembler).
#[cfg(feature = "disas")]
pub fn disas(code: &[u8]) -> String {
    code.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}
