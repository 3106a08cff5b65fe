//! Generates parts of cranelift-codegen at build time.

/// The ISAs the code generator supports.
pub fn isa_names() -> &'static [&'static str] {
    &["x86_64", "aarch64", "riscv64", "s390x", "pulley64"]
}

/// Rust source for the generated ISA list.
pub fn generate() -> String {
    format!("pub const ISAS: &[&str] = &{:?};\n", isa_names())
}
