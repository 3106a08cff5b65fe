//! The C API of Wasmtime, declared in `include/wasmtime.h`.

#[no_mangle]
pub extern "C" fn wasmtime_config_consume_fuel_set(config: &mut wasmtime::Config, enable: bool) {
    config.consume_fuel(enable);
}

#[cfg(feature = "wasi")]
#[no_mangle]
pub extern "C" fn wasmtime_wasi_inherits_stdio() -> bool {
    wasmtime_wasi::WasiCtx::builder().inherit_stdio().build().inherits_stdio()
}
