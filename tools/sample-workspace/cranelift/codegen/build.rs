// Generates the ISA list with cranelift-codegen-meta, as the real build script
// generates instruction definitions.
use std::{env, fs, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("isas.rs");
    fs::write(out, cranelift_codegen_meta::generate()).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
