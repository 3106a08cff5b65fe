//! Fuzz targets (excluded from the workspace).

pub fn fuzz_validate(data: &[u8]) {
    let _ = wasmtime::validate(data);
}
