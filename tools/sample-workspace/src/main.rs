//! The `wasmtime` command-line tool.

fn main() {
    let flags = wasmtime_cli_flags::CommonOptions::parse(std::env::args().skip(1));
    let mut config = wasmtime::Config::new();
    flags.configure(&mut config);
    let engine = wasmtime::Engine::new(&config).expect("valid configuration");
    let ctx = wasmtime_wasi::WasiCtx::builder().inherit_stdio().build();
    println!(
        "wasmtime {} (tunables: {}, strategy: {:?}, stdio inherited: {})",
        wasmtime::version(),
        wasmtime_environ::Tunables::default().static_memory_bound,
        engine.config().strategy,
        ctx.inherits_stdio(),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_a_module() {
        assert!(wasmtime_test_util::engine().config().consume_fuel);
    }
}
